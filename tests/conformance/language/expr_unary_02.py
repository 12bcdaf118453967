# not on ints, floats, strings and lists (truthiness through `not`), and
# double negation.
import torch
from typing import List


@torch.jit.script
def f(i: int, x: float, s: str, xs: List[int]):
    return not i, not x, not s, not (not i), not len(xs)


CASES = [
    ("f", (0, 0.0, "", [])),
    ("f", (-2, 0.5, "a", [1])),
]
