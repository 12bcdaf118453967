# An annotated assignment can widen a value's type to Optional (but int does
# not widen to float: see reject/types_annassign_int_float_01.py).
import torch
from typing import List, Optional, Union


@torch.jit.script
def widen(x: int):
    o: Optional[int] = x
    u: Union[int, str] = x
    if x < 0:
        o = None
        u = "neg"
    return o, u


CASES = [
    ("widen", (3,)),
    ("widen", (-3,)),
]
