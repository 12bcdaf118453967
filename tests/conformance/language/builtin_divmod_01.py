# divmod of ints and floats with negative operands.
import torch


@torch.jit.script
def dm(a: int, b: int, f: float, g: float):
    return divmod(a, b), divmod(f, g)


CASES = [
    ("dm", (17, 5, 17.5, 5.0)),
    ("dm", (-17, 5, -17.5, 5.0)),
    ("dm", (17, -5, 17.5, -5.0)),
]
