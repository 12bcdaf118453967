# Dict comprehension over a dict's items, building tensors.
import torch
from typing import Dict


@torch.jit.script
def scale(d: Dict[str, float]) -> Dict[str, torch.Tensor]:
    return {k: torch.full([2], v) for k, v in d.items()}


CASES = [
    ("scale", ({"a": 0.5, "b": -1.0},)),
]
