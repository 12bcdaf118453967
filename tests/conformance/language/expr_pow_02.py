# `**` on tensors and scalars with broadcasting and type promotion.
import torch


@torch.jit.script
def tpow(x: torch.Tensor):
    return x ** 2, 2 ** x, x ** 0.5, x.pow(x)


CASES = [
    ("tpow", (torch.tensor([1.0, 2.0, 4.0]),)),
    ("tpow", (torch.tensor([1, 2, 3]),)),
]
