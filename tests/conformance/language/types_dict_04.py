# Missing keys raise KeyError; `in` tests keys.
import torch
from typing import Dict


@torch.jit.script
def get(d: Dict[str, int], k: str) -> int:
    print("looking up", k)
    return d[k]


CASES = [
    ("get", ({"a": 1}, "a")),
    ("get", ({"a": 1}, "b"), "raises"),
]
