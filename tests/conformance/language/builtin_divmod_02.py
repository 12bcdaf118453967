# divmod of mixed int/float and the int64 extremes.
import torch


@torch.jit.script
def f(a: int, b: float):
    big = 9223372036854775807
    return divmod(a, b), divmod(b, a), divmod(big, 10), divmod(-big - 1, 10)


CASES = [
    ("f", (7, 2.5)),
    ("f", (-7, 2.5)),
]
