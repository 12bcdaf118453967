# break inside while True.
import torch


@torch.jit.script
def isqrt(n: int) -> int:
    r = 0
    while True:
        if (r + 1) * (r + 1) > n:
            break
        r += 1
    return r


CASES = [
    ("isqrt", (0,)),
    ("isqrt", (15,)),
    ("isqrt", (16,)),
    ("isqrt", (1000,)),
]
