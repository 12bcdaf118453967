# int arithmetic: + - * with negatives, unary minus, precedence. (Unary plus
# crashes 1.13's frontend with an AttributeError, so it is left out.)
import torch


@torch.jit.script
def arith(a: int, b: int):
    return a + b * 2, (a + b) * 2, -a, a - -b, a * b - a // 2, 2 + 3 * 4 ** 2


CASES = [
    ("arith", (7, 3)),
    ("arith", (-7, 3)),
    ("arith", (0, -1)),
]
