# round() of large, negative and integral floats; torch.round with decimals=.
import torch
from typing import List


@torch.jit.script
def f(xs: List[float], t: torch.Tensor):
    return [round(x) for x in xs], torch.round(t, decimals=2), torch.round(t * 10) / 10


CASES = [
    ("f", ([1e15 + 0.5, -3.5, -4.5, 7.0, -0.4], torch.tensor([1.2345, -1.2355, 2.675]))),
]
