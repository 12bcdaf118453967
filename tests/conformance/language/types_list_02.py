# Empty lists need a type: annotation, torch.jit.annotate, or a typed parameter.
import torch
from typing import List


@torch.jit.script
def empties(n: int):
    a: List[int] = []
    b = torch.jit.annotate(List[float], [])
    c = [str(i) for i in range(0)]
    for i in range(n):
        a.append(i)
        b.append(i * 0.5)
    return a, b, c, len(a) == 0


CASES = [
    ("empties", (0,)),
    ("empties", (3,)),
]
