# dict() constructor, dict of dicts, copy independence.
import torch
from typing import Dict


@torch.jit.script
def copies(d: Dict[str, int]):
    c = d.copy()
    c["new"] = 1
    e = dict(d)
    e.clear()
    nested: Dict[str, Dict[str, int]] = {"inner": d}
    nested["inner"]["x"] = 9
    return d, c, e, nested


CASES = [
    ("copies", ({"a": 1, "b": 2},)),
]
