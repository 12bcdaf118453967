# After `if x is None: return`, x is refined in the rest of the function.
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[int]) -> int:
    if x is None:
        return 0
    y = x + 1
    return y * x


CASES = [
    ("f", (None,)),
    ("f", (3,)),
]
