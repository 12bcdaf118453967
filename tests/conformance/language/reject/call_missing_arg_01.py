# Calling without a required argument.
import torch


@torch.jit.script
def g(a: int, b: int) -> int:
    return a + b


@torch.jit.script
def f(x: int) -> int:
    z = x
    return g(z)
