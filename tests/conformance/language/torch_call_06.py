# Calls with dtype and integer promotion: torch.sum of ints stays int64, mean needs float,
# arange with a float step, tensor from a list of Python ints.
import torch
from typing import List


@torch.jit.script
def promo(xs: List[int], fs: List[float]):
    t = torch.tensor(xs)
    f = torch.tensor(fs)
    return t.sum(), t.float().mean(), (t * 0.5).dtype == torch.float32, t + f, torch.tensor(xs, dtype=torch.float64), t // 2


CASES = [
    ("promo", ([1, 2, 3], [0.5, 0.5, 0.5])),
]
