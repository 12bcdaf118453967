# for ... else is not supported.
import torch


@torch.jit.script
def f(n: int) -> int:
    r = 0
    for i in range(n):
        r += i
    else:
        r = -1
    return r
