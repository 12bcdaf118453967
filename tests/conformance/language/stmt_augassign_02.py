# Augmented assignment on tensors is in place: an alias sees the change.
import torch


@torch.jit.script
def inplace(x: torch.Tensor):
    y = x
    y += 1
    z = x.clone()
    z *= 2
    w = x + 0
    w -= 100
    return x, y, z, w


CASES = [
    ("inplace", (torch.arange(3.),)),
]
