# Dict values that are tensors; iteration over a dict yields keys in order.
import torch
from typing import Dict


@torch.jit.script
def scale_all(d: Dict[str, torch.Tensor], k: float) -> Dict[str, torch.Tensor]:
    out: Dict[str, torch.Tensor] = {}
    for name in d:
        out[name] = d[name] * k
    return out


CASES = [
    ("scale_all", ({"w": torch.arange(3.), "b": torch.ones(1)}, 2.0)),
    ("scale_all", ({}, 2.0)),
]
