# continue in for and while loops.
import torch
from typing import List


@torch.jit.script
def odds(xs: List[int]) -> List[int]:
    out: List[int] = []
    for x in xs:
        if x % 2 == 0:
            continue
        out.append(x)
    return out


@torch.jit.script
def skip_count(n: int) -> int:
    i = 0
    total = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue
        total += i
    return total


CASES = [
    ("odds", ([1, 2, 3, 4, 5, -3, -4],)),
    ("odds", ([],)),
    ("skip_count", (10,)),
]
