# Lists of tensors and of lists; lists are references (aliasing is visible).
import torch
from typing import List


@torch.jit.script
def nested(n: int):
    grid: List[List[int]] = []
    for i in range(n):
        grid.append([i] * i)
    alias = grid
    alias.append([99])
    return grid, len(grid)


@torch.jit.script
def tensors(x: torch.Tensor) -> List[torch.Tensor]:
    out = [x, x + 1]
    out.append(x * 2)
    return out


CASES = [
    ("nested", (3,)),
    ("nested", (0,)),
    ("tensors", (torch.arange(2.),)),
]
