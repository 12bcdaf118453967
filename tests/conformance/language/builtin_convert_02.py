# int() of a string that is not a number raises.
import torch


@torch.jit.script
def parse(s: str) -> int:
    return int(s)


CASES = [
    ("parse", ("42",)),
    ("parse", ("4x2",), "raises"),
]
