# An int is not iterable.
import torch


@torch.jit.script
def f(n: int) -> int:
    t = 0
    for i in n:
        t += i
    return t
