# Tensor parameters and results: annotated, arithmetic keeps dtype.
import torch


@torch.jit.script
def affine(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return x * w + b


@torch.jit.script
def pair(x: torch.Tensor):
    return x + 1, x * 2


CASES = [
    ("affine", (torch.arange(6.).reshape(2, 3), torch.tensor([0.5, -1.0, 2.0]), torch.tensor(0.25))),
    ("affine", (torch.arange(4).reshape(2, 2), torch.tensor([3, -2]), torch.tensor(7))),
    ("pair", (torch.arange(3, dtype=torch.float64),)),
    ("pair", (torch.zeros(0, 2),)),
]
