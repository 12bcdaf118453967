# isinstance with a tuple of types, and on values whose type is known
# statically (folded to a constant).
import torch
from typing import Union


@torch.jit.script
def num(x: Union[int, float, str]) -> float:
    if isinstance(x, (int, float)):
        return float(x) * 2
    return -1.0


@torch.jit.script
def static(x: torch.Tensor, n: int):
    return isinstance(x, torch.Tensor), isinstance(n, int), isinstance(n, float), isinstance(n, (str, int))


CASES = [
    ("num", (3,)),
    ("num", (2.5,)),
    ("num", ("s",)),
    ("static", (torch.ones(1), 3)),
]
