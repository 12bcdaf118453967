# item() gives a Python number of the tensor's kind; tolist() nested lists.
import torch
from typing import List


@torch.jit.script
def items(x: torch.Tensor, y: torch.Tensor):
    a = x.sum().item()
    b = y[0].item()
    il: List[List[int]] = y.reshape(2, -1).tolist()
    fl: List[float] = x.tolist()
    return a, b, il, fl


CASES = [
    ("items", (torch.tensor([0.5, 1.25]), torch.tensor([3, 4, 5, 6]))),
]
