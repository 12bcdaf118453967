# `/` on ints is true division and gives a float; int tensors give float tensors.
import torch


@torch.jit.script
def tdiv(a: int, b: int, x: torch.Tensor):
    return a / b, 1 / 3, -7 / 2, x / 2, x / b


CASES = [
    ("tdiv", (7, 2, torch.tensor([1, 2, 3]))),
    ("tdiv", (-1, 3, torch.tensor([-4]))),
]
