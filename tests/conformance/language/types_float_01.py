# float arithmetic, NaN and infinity; comparisons with NaN are false.
import torch
import math


@torch.jit.script
def specials(x: float):
    inf = float("inf")
    nan = float("nan")
    return x + inf, x - inf, inf - inf, nan == nan, nan < x, x < inf, math.isnan(nan), math.isinf(-inf)


CASES = [
    ("specials", (1.5,)),
    ("specials", (-1e308,)),
]
