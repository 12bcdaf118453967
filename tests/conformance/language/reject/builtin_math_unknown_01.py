# An attribute that the math module does not have.
import torch
import math


@torch.jit.script
def f(x: float) -> float:
    return math.no_such_function(x)
