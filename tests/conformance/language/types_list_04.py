# Mutating a list argument is visible to the caller inside TorchScript.
import torch
from typing import List


@torch.jit.script
def push(xs: List[int], v: int) -> None:
    xs.append(v)
    xs[0] = -xs[0]


@torch.jit.script
def caller(n: int) -> List[int]:
    xs = [1]
    for i in range(n):
        push(xs, i)
    return xs


CASES = [
    ("caller", (3,)),
    ("caller", (0,)),
]
