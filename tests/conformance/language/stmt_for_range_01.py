# for over range with one, two and three arguments, negative steps, empty ranges.
import torch
from typing import List


@torch.jit.script
def ranges(n: int) -> List[List[int]]:
    out: List[List[int]] = []
    a: List[int] = []
    for i in range(n):
        a.append(i)
    b: List[int] = []
    for i in range(2, n):
        b.append(i)
    c: List[int] = []
    for i in range(n, -3, -2):
        c.append(i)
    d: List[int] = []
    for i in range(0, n, 3):
        d.append(i)
    out.append(a)
    out.append(b)
    out.append(c)
    out.append(d)
    return out


CASES = [
    ("ranges", (7,)),
    ("ranges", (0,)),
    ("ranges", (-4,)),
]
