# `in` has no overload for List[bool] in 1.13.
import torch
from typing import List


@torch.jit.script
def f(bs: List[bool]) -> bool:
    n = len(bs)
    return True in bs
