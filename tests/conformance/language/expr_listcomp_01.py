# List comprehensions over ranges, lists and strings.
import torch
from typing import List


@torch.jit.script
def comps(n: int, xs: List[int]):
    squares = [i * i for i in range(n)]
    doubled = [2 * x for x in xs]
    chars = [c + "!" for c in "ab"]
    floats = [float(x) / 2 for x in xs]
    return squares, doubled, chars, floats


CASES = [
    ("comps", (4, [3, -1])),
    ("comps", (0, [])),
]
