# torch.jit.annotate with a value of another type.
import torch
from typing import List


@torch.jit.script
def f(x: int) -> List[int]:
    y = torch.jit.annotate(List[int], ["a"])
    return y
