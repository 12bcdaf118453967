# range with a zero step raises.
import torch


@torch.jit.script
def count(n: int, step: int) -> int:
    c = 0
    for i in range(0, n, step):
        c += 1
    return c


CASES = [
    ("count", (10, 2)),
    ("count", (10, 0), "raises"),
]
