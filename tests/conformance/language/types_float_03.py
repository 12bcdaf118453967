# Mixed int/float arithmetic gives float; float() conversions.
import torch


@torch.jit.script
def mixed(a: int, b: float):
    return a + b, a * b, a - b, float(a), float("1.5e3"), float(True), a / 2


CASES = [
    ("mixed", (3, 0.5)),
    ("mixed", (-4, -2.25)),
    ("mixed", (0, 0.0)),
]
