# math.trunc is not a TorchScript builtin in 1.13.
import torch
import math


@torch.jit.script
def f(x: float) -> int:
    a = math.floor(x)
    return a + math.trunc(x)
