# A heterogeneous tuple cannot be indexed with a non-constant index.
import torch
from typing import Tuple


@torch.jit.script
def f(t: Tuple[int, str], i: int) -> int:
    v = t[i]
    return 0
