# pop from an empty list and remove/index of a missing value raise.
import torch
from typing import List


@torch.jit.script
def pop(xs: List[int]) -> int:
    return xs.pop()


@torch.jit.script
def remove(xs: List[int], v: int) -> List[int]:
    xs.remove(v)
    return xs


CASES = [
    ("pop", ([1],)),
    ("pop", ([],), "raises"),
    ("remove", ([1, 2, 1], 1)),
    ("remove", ([1, 2], 3), "raises"),
]
