# `//` and `%` on negative ints follow Python (floor), not C (truncation).
import torch


@torch.jit.script
def divmods(a: int, b: int):
    return a // b, a % b, divmod(a, b)


CASES = [
    ("divmods", (7, 2)),
    ("divmods", (-7, 2)),
    ("divmods", (7, -2)),
    ("divmods", (-7, -2)),
    ("divmods", (0, 5)),
    ("divmods", (-9223372036854775807, 10)),
]
