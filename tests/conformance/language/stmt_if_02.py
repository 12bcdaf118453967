# A variable defined in both branches is usable after the if; nested ifs.
import torch


@torch.jit.script
def nested(a: int, b: int) -> int:
    if a > 0:
        if b > 0:
            r = a + b
        else:
            r = a - b
    else:
        if b > 0:
            r = b - a
        else:
            r = -(a + b)
    return r * 10


CASES = [
    ("nested", (1, 2)),
    ("nested", (3, -2)),
    ("nested", (-1, 5)),
    ("nested", (-4, -2)),
]
