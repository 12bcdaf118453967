# `is` and `is not` with None and between objects.
import torch
from typing import Optional


@torch.jit.script
class K(object):
    def __init__(self):
        self.v = 0


@torch.jit.script
def ident(o: Optional[int]):
    a = K()
    b = K()
    c = a
    return o is None, o is not None, a is b, a is c, a is not b


CASES = [
    ("ident", (None,)),
    ("ident", (0,)),
]
