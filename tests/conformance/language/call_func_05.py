# Functions returning multiple values, called from a comprehension.
# (A mean/variance version of `stats` hits a PyTorch 1.13 bug: INTERNAL ASSERT
# `isDouble()` in aten::sub inside the loop; this program avoids it.)
import torch
from typing import List, Tuple


@torch.jit.script
def stats(xs: List[float]) -> Tuple[float, float, int]:
    if len(xs) == 0:
        return 0.0, 0.0, 0
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        lo = min(lo, x)
        hi = max(hi, x)
    return lo, hi, len(xs)


@torch.jit.script
def all_stats(rows: List[List[float]]) -> List[Tuple[float, float, int]]:
    return [stats(r) for r in rows]


CASES = [
    ("all_stats", ([[1.0, -2.0, 3.0], [], [5.0]],)),
]
