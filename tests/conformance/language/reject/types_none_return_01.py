# A function annotated -> None may not return a value.
import torch


@torch.jit.script
def f(x: int) -> None:
    y = x
    return y
