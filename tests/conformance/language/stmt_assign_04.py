# Attribute assignment on TorchScript class objects (also through a list).
import torch
from typing import List


@torch.jit.script
class P(object):
    def __init__(self, x: int):
        self.x = x
        self.tag = "p"


@torch.jit.script
def attrs(n: int):
    ps = [P(i) for i in range(n)]
    for p in ps:
        p.x = p.x * 10
        p.tag = p.tag + str(p.x)
    ps[0].x = -1
    return [p.x for p in ps], [p.tag for p in ps]


CASES = [
    ("attrs", (3,)),
]
