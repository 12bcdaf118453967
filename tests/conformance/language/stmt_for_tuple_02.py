# Unrolled tuple loops over tensors and a tuple argument.
import torch
from typing import Tuple


@torch.jit.script
def total(t: Tuple[torch.Tensor, torch.Tensor, int]) -> torch.Tensor:
    acc = torch.zeros(1)
    for v in t:
        acc = acc + v
    return acc


CASES = [
    ("total", ((torch.tensor([1.0]), torch.tensor([2.0]), 3),)),
]
