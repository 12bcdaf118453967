# Elementwise methods and in-place variants: add_, mul_, clamp, abs, exp, sqrt, sigmoid, where.
import torch


@torch.jit.script
def ew(x: torch.Tensor):
    y = x.clone()
    y.add_(1.0)
    y.mul_(2)
    z = x.clamp(-1.0, 1.0)
    w = torch.where(x > 0, x, torch.zeros_like(x))
    return y, z, x.abs(), x.exp(), x.abs().sqrt(), x.sigmoid(), w, x.neg(), x.sign(), x.clamp(min=0.5)


CASES = [
    ("ew", (torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0]),)),
]
