# min and max of two numbers, of lists, and mixed int/float.
import torch
from typing import List


@torch.jit.script
def mm(a: int, b: int, f: float, xs: List[int], fs: List[float]):
    return min(a, b), max(a, b), min(a, f), max(f, b), min(xs), max(xs), max(fs), min(fs)


CASES = [
    ("mm", (3, -4, 0.5, [5, -2, 9], [0.5, -1.5])),
    ("mm", (7, 7, 7.0, [1], [2.0])),
]
