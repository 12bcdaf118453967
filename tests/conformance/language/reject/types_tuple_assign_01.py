# Tuples are immutable: item assignment fails.
import torch
from typing import Tuple


@torch.jit.script
def f(t: Tuple[int, int]) -> Tuple[int, int]:
    t[0] = 5
    return t
