# Augmented assignment to subscripts and attributes.
import torch
from typing import Dict, List


@torch.jit.script
class C(object):
    def __init__(self):
        self.n = 1


@torch.jit.script
def aug(xs: List[int], d: Dict[str, float], t: torch.Tensor):
    xs[0] += 5
    xs[-1] *= 2
    d["k"] += 0.5
    t[1] += 10
    c = C()
    c.n += 41
    return xs, d, t, c.n


CASES = [
    ("aug", ([1, 2, 3], {"k": 1.0}, torch.zeros(3))),
]
