# Augmented assignment on ints, floats, strings and lists (`//=` is not
# supported by 1.13's frontend: see reject/stmt_augassign_floordiv_01.py).
# Note: `a %= 5` on an int is aten::fmod in 1.13, so `a` becomes a float.
import torch
from typing import List


@torch.jit.script
def aug(a: int, f: float, s: str, xs: List[int]):
    a += 3
    a -= 1
    a *= 4
    a %= 5
    f += 1
    f /= 4
    f *= f
    f -= 0.5
    f **= 2
    s += "!"
    xs += [9]
    ys = xs
    ys += [10]
    return a, f, s, xs


CASES = [
    ("aug", (7, 2.0, "hi", [1])),
    ("aug", (-7, -2.0, "", [])),
]
