# Tuples cannot be ordered with < in TorchScript 1.13.
import torch
from typing import Tuple


@torch.jit.script
def f(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    same = a == b
    return a < b
