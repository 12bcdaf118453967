# isinstance refines Optional too, and `not isinstance` refines the else branch.
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[torch.Tensor]) -> float:
    if not isinstance(x, torch.Tensor):
        return -1.0
    return float(x.sum())


CASES = [
    ("f", (None,)),
    ("f", (torch.tensor([1.5, 2.0]),)),
]
