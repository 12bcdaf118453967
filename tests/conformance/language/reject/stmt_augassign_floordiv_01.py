# `//=` is not supported by 1.13's frontend (NotSupportedError).
import torch


@torch.jit.script
def f(a: int) -> int:
    a += 1
    a //= 2
    return a
