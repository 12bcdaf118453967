# Optional of containers: Optional[List[int]] defaulting to None.
import torch
from typing import List, Optional


@torch.jit.script
def extend(base: List[int], extra: Optional[List[int]] = None) -> List[int]:
    out = base.copy()
    if extra is not None:
        out.extend(extra)
    return out


CASES = [
    ("extend", ([1, 2], None)),
    ("extend", ([1, 2], [3])),
    ("extend", ([], [])),
]
