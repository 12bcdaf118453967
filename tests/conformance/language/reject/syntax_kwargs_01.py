# **kwargs in a signature is not supported.
import torch


@torch.jit.script
def f(x: int, **kwargs: int) -> int:
    return x
