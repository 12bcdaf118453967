# `in` has no overload for List[Tensor] in 1.13.
import torch
from typing import List


@torch.jit.script
def f(x: torch.Tensor, ts: List[torch.Tensor]) -> bool:
    n = len(ts)
    return x in ts
