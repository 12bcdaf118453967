# Functions returning tuples; a one-element tuple; the empty tuple.
import torch
from typing import Tuple


@torch.jit.script
def one(x: int) -> Tuple[int]:
    return (x,)


@torch.jit.script
def divmod2(a: int, b: int) -> Tuple[int, int]:
    return a // b, a % b


@torch.jit.script
def use(a: int):
    q, r = divmod2(a, 7)
    (o,) = one(q)
    return o, r, ()


CASES = [
    ("use", (100,)),
    ("use", (-100,)),
    ("one", (3,)),
]
