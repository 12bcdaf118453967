# List slices with steps, negative indices and out-of-range bounds.
import torch
from typing import List


@torch.jit.script
def slices(xs: List[int]):
    return xs[1:], xs[:-1], xs[-2:], xs[::2], xs[::-1], xs[1:100], xs[-100:2], xs[3:1], xs[::-2], xs[-1:0:-1]


CASES = [
    ("slices", ([0, 1, 2, 3, 4, 5],)),
    ("slices", ([],)),
    ("slices", ([7],)),
]
