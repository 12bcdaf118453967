# Bitwise operators on negative ints and large shifts.
import torch


@torch.jit.script
def bits(a: int, s: int):
    return a & 0xFF, a | -256, a ^ -1, a << s, a >> s, -1 >> 63


CASES = [
    ("bits", (-12345, 4)),
    ("bits", (1, 62)),
    ("bits", (1, 63)),
]
