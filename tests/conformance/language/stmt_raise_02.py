# raise inside loops and in a called function propagates to the caller;
# output printed before the raise is kept.
import torch
from typing import List


@torch.jit.script
def inner(v: int) -> int:
    if v == 3:
        raise KeyError("three")
    return v


@torch.jit.script
def outer(xs: List[int]) -> int:
    s = 0
    for x in xs:
        print("at", x)
        s += inner(x)
    return s


CASES = [
    ("outer", ([1, 2],)),
    ("outer", ([1, 3, 5],), "raises"),
]
