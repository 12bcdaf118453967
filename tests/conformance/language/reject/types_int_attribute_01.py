# ints have no attributes.
import torch


@torch.jit.script
def f(x: int) -> int:
    return x.real
