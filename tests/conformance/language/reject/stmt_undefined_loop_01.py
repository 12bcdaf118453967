# A variable first assigned inside a loop body is not defined after the loop.
import torch


@torch.jit.script
def f(n: int) -> int:
    for i in range(n):
        last = i
    return last
