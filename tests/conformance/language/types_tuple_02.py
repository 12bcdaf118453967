# Tuple equality (1.13 has no ordering of tuples, and == only on tuples
# whose elements share a type), tuples as dict values, slicing a tuple.
import torch
from typing import Dict, Tuple


@torch.jit.script
def cmp(a: Tuple[int, int], b: Tuple[int, int]):
    return a == b, a != b, (1, 2, 3)[1:], a == (1, 2)


@torch.jit.script
def table() -> Dict[str, Tuple[int, float]]:
    d: Dict[str, Tuple[int, float]] = {}
    d["a"] = (1, 0.5)
    d["b"] = (2, 1.5)
    return d


CASES = [
    ("cmp", ((1, 2), (1, 3))),
    ("cmp", ((2, 0), (2, 0))),
    ("table", ()),
]
