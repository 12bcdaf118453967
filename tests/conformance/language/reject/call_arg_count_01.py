# Calling a script function with too many arguments.
import torch


@torch.jit.script
def g(a: int) -> int:
    return a


@torch.jit.script
def f(x: int) -> int:
    y = x
    return g(x, y)
