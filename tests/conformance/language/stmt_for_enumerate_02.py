# enumerate over a tensor (rows) and over a list of tensors.
import torch
from typing import List


@torch.jit.script
def weighted(x: torch.Tensor) -> torch.Tensor:
    acc = torch.zeros(x.size(1))
    for i, row in enumerate(x):
        acc = acc + row * i
    return acc


CASES = [
    ("weighted", (torch.arange(6.).reshape(3, 2),)),
]
