# Optional parameters with a None default; refinement with `is None`.
import torch
from typing import Optional


@torch.jit.script
def add_bias(x: torch.Tensor, bias: Optional[torch.Tensor] = None) -> torch.Tensor:
    if bias is None:
        return x
    return x + bias


@torch.jit.script
def scale(x: float, k: Optional[float] = None) -> float:
    if k is not None:
        x = x * k
    return x


CASES = [
    ("add_bias", (torch.arange(3.), None)),
    ("add_bias", (torch.arange(3.), torch.ones(3))),
    ("scale", (2.0, None)),
    ("scale", (2.0, 1.5)),
]
