# Chained comparisons evaluate each operand once.
import torch


@torch.jit.script
def between(lo: int, x: int, hi: int):
    return lo < x < hi, lo <= x <= hi, lo < x > hi, 1 < 2 < 3 < 4, lo == x == hi


CASES = [
    ("between", (0, 5, 10)),
    ("between", (5, 5, 5)),
    ("between", (0, 20, 10)),
]
