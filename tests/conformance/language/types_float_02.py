# str(float) and print(float): TorchScript formats with 17 significant digits
# (C++ iostream style), not Python's shortest repr.
import torch


@torch.jit.script
def fmt(x: float):
    print(x, -x, x * 3, x / 7)
    return str(x), str(x * 3), str(float("nan")), str(float("inf")), str(-float("inf"))


CASES = [
    ("fmt", (0.1,)),
    ("fmt", (2.0,)),
    ("fmt", (1e20,)),
    ("fmt", (1e-7,)),
    ("fmt", (123456789.0,)),
    ("fmt", (-0.0,)),
]
