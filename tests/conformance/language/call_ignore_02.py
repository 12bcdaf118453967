# @torch.jit.ignore with a body TorchScript could not compile (set, lambda)
# is never compiled; the scripted caller runs without reaching it.
import torch
from typing import List


@torch.jit.ignore
def python_side(xs: List[int]) -> List[int]:
    return sorted(set(xs), key=lambda v: -v)


@torch.jit.script
def f(xs: List[int], python: bool) -> List[int]:
    if python:
        return python_side(xs)
    return sorted(xs)


CASES = [
    ("f", ([3, 1, 3, 2], False)),
]
