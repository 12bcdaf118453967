# float arithmetic and precedence with mixed operators, and int/float division mix.
import torch


@torch.jit.script
def f(a: float, b: int):
    return a + b / 2 - a * b, (a - b) ** 2 / 4, -a ** 2, 2 ** -1, 7 // 2 * 2 + 7 % 2, b * 1.0


CASES = [
    ("f", (1.5, 3)),
    ("f", (-0.25, -4)),
]
