# Annotated assignment of containers, then use.
import torch
from typing import Dict, List, Tuple


@torch.jit.script
def build(n: int) -> Tuple[List[float], Dict[str, List[int]]]:
    fs: List[float] = []
    groups: Dict[str, List[int]] = {"even": [0], "odd": [1]}
    for i in range(2, n):
        fs.append(i / 4)
        key: str = "even" if i % 2 == 0 else "odd"
        groups[key].append(i)
    return fs, groups


CASES = [
    ("build", (5,)),
    ("build", (0,)),
]
