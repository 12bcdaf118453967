# bool values, bool() of numbers and strings, arithmetic on bools.
import torch


@torch.jit.script
def truth(i: int, f: float, s: str):
    return bool(i), bool(f), bool(s), not i, int(True) + 1, True and i > 0


CASES = [
    ("truth", (0, 0.0, "")),
    ("truth", (-3, 0.5, "x")),
]
