# zip over dict keys and values, and over two tensors' rows.
import torch
from typing import Dict, List


@torch.jit.script
def f(d: Dict[str, int], a: torch.Tensor, b: torch.Tensor):
    pairs: List[str] = []
    for k, v in zip(d.keys(), d.values()):
        pairs.append(k + str(v))
    dots: List[float] = []
    for ra, rb in zip(a, b):
        dots.append(float((ra * rb).sum()))
    return pairs, dots


CASES = [
    ("f", ({"x": 1, "y": 2}, torch.arange(4.).reshape(2, 2), torch.ones(3, 2))),
]
