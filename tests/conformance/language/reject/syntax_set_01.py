# Set literals are not supported.
import torch


@torch.jit.script
def f(x: int) -> bool:
    s = {1, 2, 3}
    return x in s
