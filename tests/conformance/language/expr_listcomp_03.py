# Comprehension variables do not leak; a comprehension over zip and enumerate.
import torch
from typing import List


@torch.jit.script
def comps(a: List[int], b: List[int]):
    i = 100
    sums = [x + y for x, y in zip(a, b)]
    idx = [i * v for i, v in enumerate(a)]
    return sums, idx, i


CASES = [
    ("comps", ([1, 2, 3], [10, 20, 30])),
]
