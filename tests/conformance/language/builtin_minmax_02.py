# min/max of an empty list raises; max of strings; max of tensors (element-wise).
import torch
from typing import List


@torch.jit.script
def largest(xs: List[int]) -> int:
    return max(xs)


@torch.jit.script
def tmax(x: torch.Tensor, y: torch.Tensor):
    return torch.max(x, y), x.max(), torch.min(x)


CASES = [
    ("largest", ([4, 8, 1],)),
    ("largest", ([],), "raises"),
    ("tmax", (torch.tensor([1.0, 5.0, 3.0]), torch.tensor([2.0, 2.0, 2.0]))),
]
