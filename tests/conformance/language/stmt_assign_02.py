# Subscript assignment on lists (negative indices too), dicts and tensors.
import torch
from typing import Dict, List


@torch.jit.script
def subs(xs: List[int], d: Dict[str, int], t: torch.Tensor):
    xs[0] = 100
    xs[-1] = -100
    d["new"] = len(xs)
    t[0] = 7.0
    t[1:3] = torch.tensor([8.0, 9.0])
    t[-1] = t[0] * 2
    return xs, d, t


CASES = [
    ("subs", ([1, 2, 3], {"a": 1}, torch.zeros(5))),
    ("subs", ([5], {}, torch.zeros(4))),
]
