# math functions on floats: sqrt, exp, log, trig, and constants (1.13 has
# no math.log2: see reject/builtin_math_log2_01.py).
import torch
import math


@torch.jit.script
def m(x: float):
    return (math.sqrt(x), math.exp(x), math.log(x), math.log10(x), math.sin(x),
            math.cos(x), math.tan(x), math.atan2(x, 2.0), math.pi, math.e, math.log1p(x), math.expm1(x),
            math.log(x, 3.0), math.asin(0.5), math.acos(0.5), math.atan(x), math.sinh(x), math.cosh(x), math.tanh(x), math.tau)


CASES = [
    ("m", (2.0,)),
    ("m", (0.5,)),
]
