# Dict[int, ...] and Dict[float, ...] and Dict[Tensor, ...] keys;
# an empty list literal is List[Tensor], so it needs torch.jit.annotate here.
import torch
from typing import Dict, List


@torch.jit.script
def by_int(xs: List[int]) -> Dict[int, List[int]]:
    d: Dict[int, List[int]] = {}
    for x in xs:
        k = x % 3
        if k not in d:
            d[k] = torch.jit.annotate(List[int], [])
        d[k].append(x)
    return d


@torch.jit.script
def float_keys() -> Dict[float, str]:
    return {0.5: "half", 2.0: "two", -1.0: "minus one"}


CASES = [
    ("by_int", ([5, 3, 1, 6, -4, 2],)),
    ("by_int", ([],)),
    ("float_keys", ()),
]
