# Tensor.bool() is not available in TorchScript 1.13 (use .to(torch.bool)).
import torch


@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    y = x.float()
    return y.bool()
