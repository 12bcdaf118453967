# Augmented assignment to a tuple element is not supported.
import torch
from typing import Tuple


@torch.jit.script
def f(t: Tuple[int, int]) -> Tuple[int, int]:
    t[0] += 1
    return t
