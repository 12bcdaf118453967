# with torch.no_grad(): results computed inside do not require grad.
import torch


@torch.jit.script
def ng(x: torch.Tensor):
    w = x * 2
    with torch.no_grad():
        y = w + 1
        z = y * y
    return y, z, torch.is_grad_enabled()


CASES = [
    ("ng", (torch.arange(3.),)),
]
