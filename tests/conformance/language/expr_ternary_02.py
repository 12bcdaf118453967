# Ternaries on tensors and Optional: the result type unifies both sides.
import torch
from typing import Optional


@torch.jit.script
def tern(x: torch.Tensor, o: Optional[int]):
    y = x * 2 if bool(x.sum() > 0) else -x
    v = o if o is not None else -1
    w = 1.0 if v > 0 else 0.5
    return y, v, w


CASES = [
    ("tern", (torch.tensor([1.0, 2.0]), 3)),
    ("tern", (torch.tensor([-1.0, -2.0]), None)),
]
