# int from float truncates toward zero; int from str parses.
import torch


@torch.jit.script
def conv(f: float, s: str):
    return int(f), int(-f), int(s), int(True), int(2.999999)


CASES = [
    ("conv", (3.7, "42")),
    ("conv", (-0.5, "-17")),
    ("conv", (1e10, "0")),
]
