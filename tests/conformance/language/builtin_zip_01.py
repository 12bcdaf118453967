# zip over a list and a string and a range.
import torch
from typing import List


@torch.jit.script
def z(xs: List[int], s: str) -> List[str]:
    out: List[str] = []
    for x, c, i in zip(xs, s, range(100)):
        out.append(c * 1 if False else c + str(x + i))
    return out


CASES = [
    ("z", ([1, 2, 3], "ab")),
    ("z", ([], "ab")),
]
