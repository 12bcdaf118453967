# get (with default), setdefault, pop (with default), update, keys/values/items.
import torch
from typing import Dict


@torch.jit.script
def ops(d: Dict[str, int]):
    a = d.get("a")
    b = d.get("zz", -1)
    c = d.setdefault("new", 7)
    e = d.setdefault("a", 100)
    f = d.pop("b")
    g = d.pop("missing", 0)
    d.update({"z": 26, "a": 0})
    return a, b, c, e, f, g, d


CASES = [
    ("ops", ({"a": 1, "b": 2},)),
]
