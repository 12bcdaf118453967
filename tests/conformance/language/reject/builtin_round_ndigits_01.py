# round() with a number of digits is not supported in 1.13.
import torch


@torch.jit.script
def f(x: float) -> float:
    y = round(x)
    return round(x, 2)
