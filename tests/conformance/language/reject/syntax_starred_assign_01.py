# Starred assignment targets are not supported.
import torch
from typing import List


@torch.jit.script
def f(xs: List[int]) -> int:
    a, *rest = xs
    return a
