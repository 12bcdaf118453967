# Tensors of several dtypes flow through unchanged; type promotion with scalars.
import torch


@torch.jit.script
def promote(x: torch.Tensor, i: int, f: float):
    return x + i, x + f, x * 2


CASES = [
    ("promote", (torch.tensor([1, 2, 3], dtype=torch.int32), 2, 0.5)),
    ("promote", (torch.tensor([1.5, -2.5]), -3, 1.25)),
    ("promote", (torch.tensor([True, False]), 1, 2.0)),
    ("promote", (torch.tensor([7], dtype=torch.uint8), 250, 0.0)),
]
