# while loops with an int counter and a compound condition.
import torch


@torch.jit.script
def collatz(n: int) -> int:
    steps = 0
    while n != 1 and steps < 1000:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


CASES = [
    ("collatz", (27,)),
    ("collatz", (1,)),
    ("collatz", (6,)),
]
