# Annotated assignments (PEP 526) declare local types.
import torch
from typing import Dict, List, Optional


@torch.jit.script
def ann(xs: List[int]):
    total: int = 0
    avg: float = 0.0
    seen: Dict[int, bool] = {}
    last: Optional[int] = None
    for x in xs:
        total += x
        seen[x] = True
        last = x
    if len(xs) > 0:
        avg = total / len(xs)
    return total, avg, seen, last


CASES = [
    ("ann", ([3, 1, 3],)),
    ("ann", ([],)),
]
