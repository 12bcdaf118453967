# Objects are references: two names see one object; a list of objects.
import torch
from typing import List


@torch.jit.script
class Box(object):
    def __init__(self, v: float):
        self.v = v


@torch.jit.script
def alias(x: float):
    a = Box(x)
    b = a
    b.v = b.v * 2
    boxes = [a, Box(1.0), b]
    s = 0.0
    for bx in boxes:
        s += bx.v
    return a.v, s, a is b, a is boxes[1]


CASES = [
    ("alias", (1.5,)),
]
