# A complex scalar has no .real attribute in TorchScript 1.13.
import torch


@torch.jit.script
def f(a: float, b: float) -> float:
    z = complex(a, b)
    return z.real
