# import statements inside a script function are not supported.
import torch


@torch.jit.script
def f(x: int) -> int:
    import math
    return x
