# Using an Optional without refinement: no overload takes Optional[int].
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[int]) -> int:
    y = 1
    return x + y
