# Logical operators on tensors use bool(); bitwise &, |, ^ on bools and tensors.
import torch


@torch.jit.script
def tlogic(x: torch.Tensor, a: bool, b: bool):
    m = (x > 0) & (x < 3)
    n = (x < 0) | (x > 2)
    return m, n, m ^ n, a & b, a | b, a ^ b, bool(x.sum() > 0) and not a


CASES = [
    ("tlogic", (torch.tensor([-1.0, 1.0, 2.5, 4.0]), True, False)),
]
