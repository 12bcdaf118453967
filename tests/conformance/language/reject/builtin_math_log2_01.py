# math.log2 is not a TorchScript builtin in 1.13.
import torch
import math


@torch.jit.script
def f(x: float) -> float:
    y = math.log(x)
    return y + math.log2(x)
