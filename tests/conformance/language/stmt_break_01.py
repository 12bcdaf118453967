# break out of for and while loops; break in nested loops leaves only the inner one.
import torch
from typing import List, Tuple


@torch.jit.script
def find(xs: List[int], target: int) -> int:
    pos = -1
    for i in range(len(xs)):
        if xs[i] == target:
            pos = i
            break
    return pos


@torch.jit.script
def pairs(n: int) -> List[Tuple[int, int]]:
    out: List[Tuple[int, int]] = []
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            out.append((i, j))
    return out


CASES = [
    ("find", ([4, 5, 6, 5], 5)),
    ("find", ([4, 5, 6], 7)),
    ("find", ([], 7)),
    ("pairs", (3,)),
]
