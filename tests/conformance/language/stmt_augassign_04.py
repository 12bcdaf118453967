# Bitwise and shift augmented assignment on ints.
import torch


@torch.jit.script
def bits(a: int) -> int:
    a |= 0b1000
    a &= 0b1110
    a ^= 0b0101
    a <<= 2
    a >>= 1
    return a


CASES = [
    ("bits", (3,)),
    ("bits", (-1,)),
]
