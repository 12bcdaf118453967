# zip of two and three lists stops at the shortest.
import torch
from typing import List


@torch.jit.script
def dot(a: List[float], b: List[float]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


@torch.jit.script
def triples(a: List[int], b: List[str], c: List[float]) -> List[str]:
    out: List[str] = []
    for x, y, z in zip(a, b, c):
        out.append(y + str(x) + str(z))
    return out


CASES = [
    ("dot", ([1.0, 2.0, 3.0], [4.0, 5.0])),
    ("dot", ([], [1.0])),
    ("triples", ([1, 2, 3], ["a", "b"], [0.5, 1.5, 2.5])),
]
