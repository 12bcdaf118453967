# Indexing a tuple with a loop variable works when the loop over the tuple is
# unrolled; a heterogeneous tuple can be iterated.
import torch
from typing import Tuple


@torch.jit.script
def walk(t: Tuple[int, float, str]) -> str:
    out = ""
    for v in t:
        out = out + str(v) + ";"
    return out


CASES = [
    ("walk", ((3, 0.25, "s"),)),
]
