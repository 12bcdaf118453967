# An empty list literal is List[Tensor]: storing it in a Dict[int, List[int]] fails.
import torch
from typing import Dict, List


@torch.jit.script
def f(xs: List[int]) -> Dict[int, List[int]]:
    d: Dict[int, List[int]] = {}
    for x in xs:
        if x not in d:
            d[x] = []
    return d
