# Undecorated helper functions called from a script function are compiled too.
import torch
from typing import List


def helper(xs: List[int]) -> int:
    return sum(xs) * 2


def other(x: torch.Tensor) -> torch.Tensor:
    return x.relu() + 1


@torch.jit.script
def main(xs: List[int], x: torch.Tensor):
    return helper(xs), other(x)


CASES = [
    ("main", ([1, 2, 3], torch.tensor([-1.0, 2.0]))),
]
