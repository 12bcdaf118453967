# enumerate over a dict's items and over a string, with tuple unpacking.
import torch
from typing import Dict, List


@torch.jit.script
def f(d: Dict[str, float], s: str) -> List[str]:
    out: List[str] = []
    for i, (k, v) in enumerate(d.items()):
        out.append(str(i) + k + str(v))
    for i, c in enumerate(s):
        out.append(c + str(i))
    return out


CASES = [
    ("f", ({"a": 0.5, "b": 1.0}, "xy")),
]
