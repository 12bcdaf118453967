# int is int64: arithmetic wraps around on overflow (two's complement).
import torch


@torch.jit.script
def wrap(a: int, b: int):
    big = 9223372036854775807
    return big + a, -big - 1 - a, a * b, big * 2


@torch.jit.script
def mul_overflow(n: int) -> int:
    x = 1
    for i in range(n):
        x = x * 10
    return x


CASES = [
    ("wrap", (1, 3037000500)),
    ("wrap", (0, -3037000500)),
    ("mul_overflow", (18,)),
    ("mul_overflow", (19,)),
    ("mul_overflow", (25,)),
]
