# bool + bool has no overload in TorchScript (Python gives 2).
import torch


@torch.jit.script
def f(a: bool, b: bool) -> int:
    return a + b
