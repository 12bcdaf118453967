# `//` and `%` on floats and mixed int/float: Python's floor semantics.
import torch
import math


@torch.jit.script
def fdivmod(a: float, b: float):
    return a // b, a % b, math.fmod(a, b), 7 // b, a % 3


CASES = [
    ("fdivmod", (7.5, 2.0)),
    ("fdivmod", (-7.5, 2.0)),
    ("fdivmod", (7.5, -2.0)),
    ("fdivmod", (-0.5, 1.0)),
]
