# enumerate inside a list comprehension, with a start value (also negative).
import torch
from typing import List, Tuple


@torch.jit.script
def pairs(xs: List[str], start: int) -> List[Tuple[int, str]]:
    return [(i, x) for i, x in enumerate(xs, start)]


CASES = [
    ("pairs", (["a", "b"], 0)),
    ("pairs", (["a", "b"], -5)),
    ("pairs", ([], 3)),
]
