# `if x is None: continue` does not refine x for the rest of the loop body in 1.13.
import torch
from typing import List, Optional


@torch.jit.script
def total(xs: List[Optional[int]]) -> int:
    t = 0
    for x in xs:
        if x is None:
            continue
        t += x
    return t
