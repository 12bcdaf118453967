# List index out of range (also negative) raises an error.
import torch
from typing import List


@torch.jit.script
def at(xs: List[int], i: int) -> int:
    return xs[i]


CASES = [
    ("at", ([1, 2, 3], -3)),
    ("at", ([1, 2, 3], 3), "raises"),
    ("at", ([1, 2, 3], -4), "raises"),
    ("at", ([], 0), "raises"),
]
