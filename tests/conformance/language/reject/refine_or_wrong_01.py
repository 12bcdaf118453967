# `x is not None or ...` does not refine x in the body.
import torch
from typing import Optional


@torch.jit.script
def f(x: Optional[int], flag: bool) -> int:
    if x is not None or flag:
        return x + 1
    return 0
