# Tuples: construction, indexing with constants, unpacking, nesting.
import torch
from typing import Tuple


@torch.jit.script
def swap(t: Tuple[int, str]) -> Tuple[str, int]:
    a, b = t
    return b, a


@torch.jit.script
def nest(x: int):
    t = (x, (x + 1, "n"), [x])
    (a, (b, c), d) = t
    return t[1][0] + a + b, c, d, t[-1], len(t)


CASES = [
    ("swap", ((1, "one"),)),
    ("nest", (5,)),
]
