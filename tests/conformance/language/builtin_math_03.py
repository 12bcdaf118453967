# math predicates and special values: isnan, isinf, isfinite, inf, nan; domain errors give nan.
import torch
import math


@torch.jit.script
def m(x: float):
    return math.isnan(x), math.isinf(x), math.isfinite(x), math.inf > x, math.isnan(math.nan), math.sqrt(-1.0)


CASES = [
    ("m", (1.0,)),
    ("m", (float("inf"),)),
    ("m", (float("nan"),)),
]
