# A class method calling a free script function and a free function creating objects.
import torch
from typing import List


@torch.jit.script
def clamp_int(x: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, x))


@torch.jit.script
class Range(object):
    def __init__(self, lo: int, hi: int):
        self.lo = lo
        self.hi = hi

    def clamp(self, x: int) -> int:
        return clamp_int(x, self.lo, self.hi)

    def clamp_all(self, xs: List[int]) -> List[int]:
        return [self.clamp(x) for x in xs]


@torch.jit.script
def run(xs: List[int]) -> List[int]:
    return Range(0, 10).clamp_all(xs)


CASES = [
    ("run", ([-5, 5, 50],)),
]
