# An Optional[int] cannot be passed to range() without refinement.
import torch
from typing import Optional


@torch.jit.script
def f(n: Optional[int]) -> int:
    t = 0
    for i in range(n):
        t += i
    return t
