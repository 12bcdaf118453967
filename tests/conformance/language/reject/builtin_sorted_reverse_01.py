# sorted() takes no reverse= keyword in 1.13 (list.sort does).
import torch
from typing import List


@torch.jit.script
def f(xs: List[int]) -> List[int]:
    ys = sorted(xs)
    return sorted(ys, reverse=True)
