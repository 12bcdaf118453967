# `not (x is None)` and negated conjunctions refine like their positive forms.
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[torch.Tensor], y: Optional[torch.Tensor]) -> torch.Tensor:
    if not (x is None or y is None):
        return x + y
    elif x is not None:
        return x
    return torch.zeros(1)


CASES = [
    ("f", (torch.ones(2), torch.ones(2))),
    ("f", (torch.ones(2), None)),
    ("f", (None, torch.ones(2))),
]
