# `**` on ints and floats: in TorchScript 1.13 int ** int is a float
# (aten::pow.int returns float), unlike Python.
import torch


@torch.jit.script
def powers(a: int, b: int, f: float):
    return a ** b, a ** -1, f ** 2, 2 ** f, (-8.0) ** (1.0 / 3.0), 0 ** 0, 2 ** 62


CASES = [
    ("powers", (3, 4, 1.5)),
    ("powers", (-2, 3, -0.5)),
    ("powers", (2, 64, 0.0)),
]
