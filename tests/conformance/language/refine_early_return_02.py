# Early raise also refines (but `continue` does not: see
# reject/refine_continue_01.py); in a loop the refined branch holds the use.
import torch
from typing import List, Optional


@torch.jit.script
def need(x: Optional[torch.Tensor]) -> torch.Tensor:
    if x is None:
        raise ValueError("x is None")
    return x.sum()


@torch.jit.script
def total(xs: List[Optional[int]]) -> int:
    t = 0
    for x in xs:
        if x is not None:
            t += x
    return t


CASES = [
    ("need", (torch.arange(4.),)),
    ("need", (None,), "raises"),
    ("total", ([1, None, 2],)),
]
