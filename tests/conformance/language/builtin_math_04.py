# math on ints: factorial, gcd, and functions that accept ints as floats.
import torch
import math


@torch.jit.script
def m(a: int, b: int):
    return math.factorial(a), math.gcd(a, b), math.sqrt(a), math.exp(0), math.floor(a), math.erf(0.5), math.gamma(5.0), math.lgamma(a + 1.0)


CASES = [
    ("m", (5, 15)),
    ("m", (0, 7)),
]
