# `with` only works with context-manager objects TorchScript knows: an int is not one.
import torch


@torch.jit.script
def f(x: int) -> int:
    with x:
        y = 1
    return y
