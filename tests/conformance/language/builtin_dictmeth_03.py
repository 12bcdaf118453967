# pop of a missing key without a default raises.
import torch
from typing import Dict


@torch.jit.script
def take(d: Dict[str, float], k: str) -> float:
    return d.pop(k)


CASES = [
    ("take", ({"x": 1.5}, "x")),
    ("take", ({"x": 1.5}, "y"), "raises"),
]
