# sorted() of strings (byte order: upper case first) and of ints with duplicates;
# list.sort on floats with negative zero and infinities.
import torch
from typing import List


@torch.jit.script
def f(ws: List[str], xs: List[int], fs: List[float]):
    fs.sort()
    return sorted(ws), sorted(xs), fs


CASES = [
    ("f", (["b", "B", "a", "A", "ab", "Ab", ""], [3, 1, 3, -1, 0], [1.0, -float("inf"), 0.5, float("inf"), -2.0])),
]
