# list() copies lists, converts strings to characters and dict keys to a list.
import torch
from typing import Dict, List


@torch.jit.script
def lists(xs: List[int], s: str, d: Dict[str, int]):
    c = list(xs)
    c.append(99)
    return xs, c, list(s), list(d), list(d.values())


CASES = [
    ("lists", ([1, 2], "hey", {"b": 1, "a": 2})),
]
