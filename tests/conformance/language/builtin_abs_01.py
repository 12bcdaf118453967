# abs of ints, floats and tensors; abs of the int64 minimum wraps.
import torch


@torch.jit.script
def absolute(a: int, f: float, x: torch.Tensor):
    m = -9223372036854775807 - 1
    return abs(a), abs(f), abs(x), abs(m), abs(-0.0)


CASES = [
    ("absolute", (-5, -2.5, torch.tensor([-1.0, 2.0]))),
    ("absolute", (5, float("-inf"), torch.tensor([-3]))),
]
