# del on list elements (negative index too) and dict keys.
import torch
from typing import Dict, List


@torch.jit.script
def dels(xs: List[int], d: Dict[str, int]):
    del xs[0]
    del xs[-1]
    del d["b"]
    return xs, d


CASES = [
    ("dels", ([1, 2, 3, 4], {"a": 1, "b": 2, "c": 3})),
]
