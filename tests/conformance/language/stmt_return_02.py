# return from inside a while loop and from nested loops.
import torch


@torch.jit.script
def first_factor(n: int) -> int:
    d = 2
    while d * d <= n:
        if n % d == 0:
            return d
        d += 1
    return n


@torch.jit.script
def find2(n: int, target: int) -> int:
    for i in range(n):
        for j in range(n):
            if i * j == target:
                return i * 100 + j
    return -1


CASES = [
    ("first_factor", (91,)),
    ("first_factor", (97,)),
    ("find2", (5, 6)),
    ("find2", (3, 7)),
]
