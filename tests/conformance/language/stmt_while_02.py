# while loops that carry several values, and one that never runs.
import torch
from typing import Tuple


@torch.jit.script
def fib(n: int) -> Tuple[int, int]:
    a, b = 0, 1
    i = 0
    while i < n:
        a, b = b, a + b
        i += 1
    return a, i


CASES = [
    ("fib", (0,)),
    ("fib", (10,)),
    ("fib", (92,)),
    ("fib", (95,)),
]
