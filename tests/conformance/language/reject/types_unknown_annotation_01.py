# An annotation naming an unknown type.
import torch


@torch.jit.script
def f(x: int) -> int:
    y: Foo = x
    return y
