# Tensor * bool: no schema takes a bool Scalar.
import torch


@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    y = x + 1
    return y * True
