# Use of an undefined variable.
import torch


@torch.jit.script
def f(x: int) -> int:
    y = x + 1
    return y + z
