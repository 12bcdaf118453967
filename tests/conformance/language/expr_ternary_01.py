# Conditional expressions, nested, and only the chosen side runs.
import torch


@torch.jit.script
def loud(v: int) -> int:
    print("computing", v)
    return v


@torch.jit.script
def tern(x: int):
    a = "pos" if x > 0 else "neg" if x < 0 else "zero"
    b = loud(1) if x > 0 else loud(2)
    return a, b


CASES = [
    ("tern", (5,)),
    ("tern", (-5,)),
    ("tern", (0,)),
]
