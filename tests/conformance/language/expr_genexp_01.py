# Generator expressions are compiled like list comprehensions.
import torch
from typing import List


@torch.jit.script
def f(xs: List[int]):
    return sum(x * 2 for x in xs), list(str(x) for x in xs), max(abs(x) for x in xs)


CASES = [
    ("f", ([1, -5, 2],)),
]
