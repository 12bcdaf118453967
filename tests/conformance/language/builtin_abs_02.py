# abs() on mixed containers of values through a comprehension, and abs of NaN.
import torch
from typing import List


@torch.jit.script
def f(xs: List[float], ns: List[int]):
    return [abs(x) for x in xs], [abs(n) for n in ns], abs(float("nan")) != 0.0


CASES = [
    ("f", ([-1.5, 0.0, 2.25, -1e-300], [-3, 0, 7])),
]
