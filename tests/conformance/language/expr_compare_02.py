# Comparisons between int and float, strings, lists and tensors.
import torch
from typing import List


@torch.jit.script
def cmps(i: int, f: float, s: str, xs: List[int], x: torch.Tensor):
    return i == f, i < f, s < "b", s >= "a", xs == [1, 2], xs != [], x == 1, x > f


CASES = [
    ("cmps", (2, 2.0, "a", [1, 2], torch.tensor([1, 2, 3]))),
    ("cmps", (2, 2.5, "c", [], torch.tensor([0.5]))),
]
