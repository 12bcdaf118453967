# index, count, reverse, clear, copy, sort on lists of ints, floats and strings.
import torch
from typing import List


@torch.jit.script
def ops(xs: List[int], ws: List[str]):
    i = xs.index(3)
    n = xs.count(1)
    r = xs.copy()
    r.reverse()
    ws.sort()
    c = ws.copy()
    c.clear()
    return i, n, r, ws, c


CASES = [
    ("ops", ([1, 3, 1, 3], ["b", "a", "c"])),
]
