# The returned value does not match the annotated return type.
import torch


@torch.jit.script
def f(x: int) -> str:
    y = x * 2
    return y
