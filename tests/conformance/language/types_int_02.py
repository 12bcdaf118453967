# int literals in several bases, bit operations and shifts.
import torch


@torch.jit.script
def bits(a: int, b: int):
    return a & b, a | b, a ^ b, -a - 1, a << 3, a >> 1, 0x1F + 0o17 + 0b101


CASES = [
    ("bits", (12, 10)),
    ("bits", (-7, 3)),
    ("bits", (0, -1)),
]
