# Dicts keep insertion order; overwriting keeps the original position.
import torch
from typing import Dict


@torch.jit.script
def order() -> Dict[str, int]:
    d = {"z": 1, "a": 2}
    d["m"] = 3
    d["z"] = 4
    d["b"] = 5
    return d


@torch.jit.script
def keys_values(d: Dict[str, int]):
    return list(d.keys()), list(d.values()), d.items(), len(d)


CASES = [
    ("order", ()),
    ("keys_values", ({"b": 1, "a": 2, "c": 3},)),
    ("keys_values", ({},)),
]
