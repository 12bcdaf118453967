# str.format with positional placeholders and values of several types.
import torch
from typing import List


@torch.jit.script
def fmt(i: int, f: float, s: str, xs: List[int]) -> str:
    return "{} and {} and {} and {}".format(i, f, s, xs)


CASES = [
    ("fmt", (3, 2.5, "x", [1, 2])),
    ("fmt", (-1, 0.1, "", [])),
]
