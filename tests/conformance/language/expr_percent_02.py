# %-formatting with %s of non-strings (lists, tensors, None) and %i.
import torch
from typing import List


@torch.jit.script
def pct(xs: List[int], x: torch.Tensor) -> str:
    return "xs=%s x=%s n=%s k=%i" % (xs, x, None, len(xs))


CASES = [
    ("pct", ([1, 2], torch.tensor([1.0]))),
]
