# == on tuples whose elements have different types has no overload in 1.13.
import torch


@torch.jit.script
def f(x: int) -> bool:
    a = (x, 2.5)
    return a == (1, 2.5)
