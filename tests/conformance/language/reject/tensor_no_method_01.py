# A method that Tensor does not have.
import torch


@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    y = x.relu()
    return y.no_such_method()
