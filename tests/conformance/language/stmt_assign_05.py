# Assignment to a slice of a list is not supported, but slices read fine;
# reassigning a variable with the same type in branches.
import torch
from typing import List


@torch.jit.script
def reassign(flag: bool, xs: List[int]) -> List[int]:
    ys = xs[1:]
    if flag:
        ys = xs[:1]
    else:
        ys = ys + ys
    return ys


CASES = [
    ("reassign", (True, [1, 2, 3])),
    ("reassign", (False, [1, 2, 3])),
    ("reassign", (False, [])),
]
