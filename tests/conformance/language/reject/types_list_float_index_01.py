# A list index must be an int.
import torch
from typing import List


@torch.jit.script
def f(xs: List[int]) -> int:
    i = 1.0
    return xs[i]
