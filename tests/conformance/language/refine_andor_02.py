# Refinement through `or`: after `if x is None or ...: return`, x is refined.
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[int]) -> int:
    if x is None or x < 0:
        return -1
    return x * 2


@torch.jit.script
def g(x: Optional[str]) -> str:
    return "none" if x is None or x == "" else x.upper()


CASES = [
    ("f", (None,)),
    ("f", (-3,)),
    ("f", (4,)),
    ("g", (None,)),
    ("g", ("",)),
    ("g", ("ab",)),
]
