# Indexing a Dict[str, int] with an int.
import torch
from typing import Dict


@torch.jit.script
def f(d: Dict[str, int]) -> int:
    a = d["a"]
    return d[1]
