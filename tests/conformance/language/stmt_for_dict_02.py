# Iterating a Dict[int, Tensor]; building a new dict while iterating another.
import torch
from typing import Dict


@torch.jit.script
def invert(d: Dict[int, str]) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for k, v in d.items():
        out[v] = k
    return out


@torch.jit.script
def norms(d: Dict[int, torch.Tensor]) -> Dict[int, float]:
    out: Dict[int, float] = {}
    for k in d:
        out[k * 10] = float(d[k].norm())
    return out


CASES = [
    ("invert", ({3: "c", 1: "a", 2: "b"},)),
    ("norms", ({2: torch.tensor([3.0, 4.0]), 1: torch.ones(4)},)),
]
