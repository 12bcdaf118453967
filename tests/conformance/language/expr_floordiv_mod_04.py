# `//` and `%` on tensors: floor division and Python-style remainder.
import torch


@torch.jit.script
def tdiv(x: torch.Tensor, y: torch.Tensor):
    return x // y, x % y, torch.remainder(x, y), torch.fmod(x, y)


CASES = [
    ("tdiv", (torch.tensor([7, -7, 7, -7]), torch.tensor([2, 2, -2, -2]))),
    ("tdiv", (torch.tensor([7.5, -7.5]), torch.tensor([2.0, 2.0]))),
]
