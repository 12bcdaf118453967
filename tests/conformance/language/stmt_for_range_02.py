# The loop variable keeps its last value after the loop (and is defined by
# the loop only when the loop runs: here it is initialized first).
import torch


@torch.jit.script
def last(n: int):
    i = -1
    total = 0
    for i in range(n):
        total += i
    return i, total


CASES = [
    ("last", (5,)),
    ("last", (0,)),
]
