# `~` on an int is not defined in TorchScript 1.13 (only on tensors).
import torch


@torch.jit.script
def f(a: int) -> int:
    b = a + 1
    return ~b
