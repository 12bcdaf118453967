# Script functions calling other script functions, several levels deep.
import torch


@torch.jit.script
def square(x: int) -> int:
    return x * x


@torch.jit.script
def sum_squares(a: int, b: int) -> int:
    return square(a) + square(b)


@torch.jit.script
def hyp2(a: int, b: int) -> float:
    return float(sum_squares(a, b)) ** 0.5


CASES = [
    ("hyp2", (3, 4)),
    ("sum_squares", (-2, 0)),
]
