# Calling with an unknown keyword argument.
import torch


@torch.jit.script
def g(a: int, b: int = 2) -> int:
    return a + b


@torch.jit.script
def f(x: int) -> int:
    return g(x, c=3)
