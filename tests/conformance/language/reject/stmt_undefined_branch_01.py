# A variable assigned in only one branch is not defined after the if.
import torch


@torch.jit.script
def f(x: int) -> int:
    if x > 0:
        y = 1
    return y
