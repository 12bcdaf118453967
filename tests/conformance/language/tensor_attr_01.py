# Tensor attributes and shape queries: shape, size(), size(d), dim(), numel(), ndim.
import torch
from typing import List


@torch.jit.script
def info(x: torch.Tensor):
    s: List[int] = x.shape
    return s, x.size(), x.size(0), x.size(-1), x.dim(), x.numel(), x.ndim, x.shape[1], len(x.shape)


CASES = [
    ("info", (torch.zeros(2, 3, 4),)),
    ("info", (torch.zeros(5, 0),)),
]
