# if / elif / else chains.
import torch


@torch.jit.script
def grade(score: int) -> str:
    if score >= 90:
        g = "A"
    elif score >= 80:
        g = "B"
    elif score >= 70:
        g = "C"
    else:
        g = "F"
    return g


CASES = [
    ("grade", (95,)),
    ("grade", (80,)),
    ("grade", (75,)),
    ("grade", (-1,)),
]
