# sum of a comprehension, and of a tensor's elements converted with item().
import torch
from typing import List


@torch.jit.script
def f(x: torch.Tensor, n: int):
    total = sum([i * i for i in range(n)])
    fl = sum([float(v.item()) for v in x])
    return total, fl


CASES = [
    ("f", (torch.tensor([0.5, 1.5, -1.0]), 4)),
    ("f", (torch.zeros(0), 0)),
]
