# Annotated assignment of a Tensor and of Optional[Tensor].
import torch
from typing import Optional


@torch.jit.script
def acc(x: torch.Tensor, n: int) -> torch.Tensor:
    best: Optional[torch.Tensor] = None
    total: torch.Tensor = torch.zeros_like(x)
    for i in range(n):
        total = total + x * i
        if best is None or bool(total.sum() > best.sum()):
            best = total
    if best is None:
        return total
    return best


CASES = [
    ("acc", (torch.tensor([1.0, -2.0]), 4)),
    ("acc", (torch.tensor([1.0, 0.5]), 4)),
    ("acc", (torch.tensor([1.0, -2.0]), 0)),
]
