# for with enumerate over lists and strings, with a start value.
import torch
from typing import List


@torch.jit.script
def enum(xs: List[str]):
    a: List[str] = []
    for i, x in enumerate(xs):
        a.append(str(i) + x)
    b: List[int] = []
    for i, c in enumerate("xyz", 10):
        b.append(i)
    return a, b


CASES = [
    ("enum", (["a", "b", "c"],)),
    ("enum", ([],)),
]
