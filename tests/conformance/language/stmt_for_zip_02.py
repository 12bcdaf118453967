# zip with enumerate and zip over tensors.
import torch
from typing import List


@torch.jit.script
def pairs(a: torch.Tensor, b: torch.Tensor) -> List[float]:
    out: List[float] = []
    for i, (x, y) in enumerate(zip(a, b)):
        out.append(float(x * y) + i)
    return out


CASES = [
    ("pairs", (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.5, 0.5, 0.5]))),
]
