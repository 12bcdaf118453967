# hasattr on a NamedTuple is rejected: its first argument must be an object.
import torch
from typing import NamedTuple


class Pt(NamedTuple):
    x: int
    y: int


@torch.jit.script
def has(a: int):
    p = Pt(a, 2)
    return hasattr(p, "x"), hasattr(p, "z"), getattr(p, "y")

