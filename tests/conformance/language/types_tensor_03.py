# Tensor-valued conditions: a one-element tensor in `if` and `while` is bool(t).
import torch


@torch.jit.script
def clamp_loop(x: torch.Tensor) -> torch.Tensor:
    while x.sum() > 10:
        x = x / 2
    if x.max() < 1:
        x = x + 1
    return x


CASES = [
    ("clamp_loop", (torch.arange(8.),)),
    ("clamp_loop", (torch.full((2,), 0.25),)),
    ("clamp_loop", (torch.tensor([100.0]),)),
]
