# for over a tensor iterates its first dimension.
import torch
from typing import List


@torch.jit.script
def rows(x: torch.Tensor) -> List[torch.Tensor]:
    out: List[torch.Tensor] = []
    for r in x:
        out.append(r.sum())
    return out


CASES = [
    ("rows", (torch.arange(6).reshape(3, 2),)),
    ("rows", (torch.zeros(0, 2),)),
]
