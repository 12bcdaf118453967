# Refinement applies to the variable only until it is reassigned; loops
# re-check it.
import torch
from typing import List, Optional


@torch.jit.script
def accumulate(xs: List[int]) -> Optional[int]:
    best: Optional[int] = None
    for x in xs:
        if best is None:
            best = x
        elif x > best:
            best = x
    return best


CASES = [
    ("accumulate", ([3, 9, 2],)),
    ("accumulate", ([],)),
]
