# `%=` is not `%`: 1.13 lowers `a %= b` to aten::fmod, which returns a float
# and keeps the sign of the dividend, while `a % b` is Python's modulo.
import torch


@torch.jit.script
def mods(a: int, b: int):
    m = a % b
    c = a
    c %= b
    return m, c


CASES = [
    ("mods", (7, 5)),
    ("mods", (-7, 5)),
    ("mods", (7, -5)),
    ("mods", (-7, -5)),
]
