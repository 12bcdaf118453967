# Appending a str to a List[int].
import torch
from typing import List


@torch.jit.script
def f(xs: List[int]) -> List[int]:
    xs.append(1)
    xs.append("two")
    return xs
