# NamedTuple fields cannot be assigned.
import torch
from typing import NamedTuple


class P(NamedTuple):
    x: int
    y: int


@torch.jit.script
def f(a: int) -> int:
    p = P(a, a)
    p.x = 3
    return p.x
