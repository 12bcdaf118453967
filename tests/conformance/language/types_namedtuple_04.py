# Printing a NamedTuple and str() of it.
import torch
from typing import NamedTuple


class Pair(NamedTuple):
    a: int
    b: str


@torch.jit.script
def show(a: int) -> str:
    p = Pair(a, "x")
    print(p)
    return str(p)


CASES = [
    ("show", (7,)),
]
