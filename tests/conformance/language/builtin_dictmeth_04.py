# Dicts with Tensor values and int keys: items() sorted by key, values summed.
import torch
from typing import Dict, List, Tuple


@torch.jit.script
def ops(d: Dict[int, torch.Tensor]) -> Tuple[List[int], torch.Tensor]:
    keys = sorted(d.keys())
    acc = torch.zeros(1)
    for v in d.values():
        acc = acc + v.sum()
    return keys, acc


CASES = [
    ("ops", ({5: torch.ones(2), -1: torch.arange(3.), 2: torch.tensor([0.5])},)),
]
