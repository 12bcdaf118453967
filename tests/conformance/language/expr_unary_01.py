# Unary minus on ints at the int64 minimum, floats (negative zero) and tensors.
import torch


@torch.jit.script
def neg(a: int, f: float, x: torch.Tensor):
    m = -9223372036854775807 - 1
    return -a, -m, -f, -x, not a, -(-x)


CASES = [
    ("neg", (5, 0.0, torch.tensor([1, -2]))),
    ("neg", (-5, -1.5, torch.tensor([0.5]))),
]
