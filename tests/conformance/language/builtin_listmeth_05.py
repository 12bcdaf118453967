# List repetition and concatenation, `*` with a zero count. (A negative
# count fails in 1.13 with libstdc++'s `vector::reserve`; Python gives [].)
import torch
from typing import List


@torch.jit.script
def rep(xs: List[int], n: int):
    return xs * n, n * xs, xs + xs, [xs] * 2


CASES = [
    ("rep", ([1, 2], 3)),
    ("rep", ([1, 2], 0)),
]
