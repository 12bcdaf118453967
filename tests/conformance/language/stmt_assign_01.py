# Tuple unpacking: swaps, nested targets, unpacking a call's result.
import torch
from typing import Tuple


@torch.jit.script
def unpack(a: int, b: int):
    a, b = b, a
    (c, d), e = (a + 1, b + 1), a * b
    f = g = c + d
    return a, b, c, d, e, f, g


@torch.jit.script
def from_tensor(x: torch.Tensor):
    h, w = x.shape
    n, = x.reshape(-1).shape
    return h, w, n


CASES = [
    ("unpack", (1, 2)),
    ("from_tensor", (torch.zeros(2, 5),)),
]
