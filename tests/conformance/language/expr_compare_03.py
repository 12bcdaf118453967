# NaN comparisons: with two different NaN operands they follow IEEE, but
# `x != x` and `x == x` on one float value are simplified by PyTorch's graph
# optimizer to False and True at run time (1.13), unlike Python.
import torch


@torch.jit.script
def same_value(x: float):
    return x != x, x == x, x < x


@torch.jit.script
def two_values(x: float, y: float):
    return x != y, x == y, x < y, x >= y


CASES = [
    ("same_value", (float("nan"),)),
    ("same_value", (1.0,)),
    ("two_values", (float("nan"), float("nan"))),
    ("two_values", (float("nan"), 1.0)),
]
