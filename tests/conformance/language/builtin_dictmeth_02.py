# popitem removes the last inserted item; clear; copy; len; fromkeys-free building.
import torch
from typing import Dict


@torch.jit.script
def ops(d: Dict[int, str]):
    c = d.copy()
    k, v = c.popitem()
    e = d.copy()
    e.clear()
    return k, v, c, e, len(d)


CASES = [
    ("ops", ({3: "c", 1: "a", 2: "b"},)),
]
