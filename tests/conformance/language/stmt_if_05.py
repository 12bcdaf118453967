# A variable set to a value in one branch and to None in the other becomes
# Optional (and a Union when the types do not unify), also in nested ifs —
# the shape of nn.TransformerEncoderLayer's mask selection.
import torch
from typing import Optional


@torch.jit.script
def pick(c: bool):
    if c:
        y = 0
    else:
        y = None
    return y


@torch.jit.script
def masks(a: Optional[torch.Tensor], b: Optional[torch.Tensor]):
    if b is not None:
        kind, m = 1, a
    else:
        if a is not None:
            k2, m2 = 0, a
        else:
            k2, m2 = None, a
        kind, m = k2, m2
    if kind is None:
        return -1
    return kind


CASES = [
    ("pick", (True,)),
    ("pick", (False,)),
    ("masks", (None, None)),
    ("masks", (torch.ones(2), None)),
    ("masks", (None, torch.ones(2))),
]
