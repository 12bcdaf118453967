# A path that falls off the end returns None, which is not an int.
import torch


@torch.jit.script
def f(x: int) -> int:
    if x > 0:
        return x
