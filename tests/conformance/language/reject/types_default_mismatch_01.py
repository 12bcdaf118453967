# A default value that does not match the parameter's type.
import torch


@torch.jit.script
def f(x: int = "a") -> int:
    return x
