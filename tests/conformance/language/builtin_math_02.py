# math.floor/ceil return ints (math.trunc and math.hypot are not supported);
# frexp, ldexp, modf, remainder; fabs, copysign, hypot, degrees/radians, pow.
import torch
import math


@torch.jit.script
def m(x: float, y: float):
    return (math.floor(x), math.ceil(x), math.fabs(x), math.copysign(3.0, x),
            math.frexp(x), math.ldexp(x, 3), math.modf(x), math.remainder(x, y), math.degrees(x), math.radians(y), math.pow(x, 2.0), math.fmod(x, y))


CASES = [
    ("m", (-2.5, 4.0)),
    ("m", (2.5, -3.0)),
]
