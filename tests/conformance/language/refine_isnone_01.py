# `is None` / `is not None` refine Optional in if/else branches.
import torch
from typing import Optional


@torch.jit.script
def orelse(x: Optional[int], default: int) -> int:
    if x is None:
        return default
    else:
        return x + 1


@torch.jit.script
def inverted(x: Optional[torch.Tensor]) -> torch.Tensor:
    if x is not None:
        y = x * 2
    else:
        y = torch.zeros(1)
    return y


CASES = [
    ("orelse", (None, 7)),
    ("orelse", (3, 7)),
    ("inverted", (None,)),
    ("inverted", (torch.ones(2),)),
]
