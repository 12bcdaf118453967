# Generators (yield) are not supported.
import torch


@torch.jit.script
def f(n: int) -> int:
    for i in range(n):
        yield i
    return n
