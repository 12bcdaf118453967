# for over a dict (keys), .items(), .keys(), .values() in insertion order.
import torch
from typing import Dict, List


@torch.jit.script
def walk(d: Dict[str, int]):
    ks: List[str] = []
    for k in d:
        ks.append(k)
    pairs: List[str] = []
    for k, v in d.items():
        pairs.append(k + "=" + str(v))
    total = 0
    for v in d.values():
        total += v
    n = 0
    for k in d.keys():
        n += len(k)
    return ks, pairs, total, n


CASES = [
    ("walk", ({"zeta": 1, "alpha": 2, "mid": 3},)),
    ("walk", ({},)),
]
