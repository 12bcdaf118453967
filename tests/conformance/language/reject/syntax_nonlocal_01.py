# Inner function definitions (and so nonlocal) are not supported.
import torch


@torch.jit.script
def f(x: int) -> int:
    def inner(y: int) -> int:
        return y + x
    return inner(1)
