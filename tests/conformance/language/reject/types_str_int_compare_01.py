# Comparing a str with an int has no overload.
import torch


@torch.jit.script
def f(s: str) -> bool:
    t = s + "x"
    return t < 1
