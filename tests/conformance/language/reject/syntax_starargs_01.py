# *args in a signature is not supported.
import torch


@torch.jit.script
def f(x: int, *args: int) -> int:
    return x
