# Refinement of two Optionals at once and in a while condition.
import torch
from typing import Optional


@torch.jit.script
def both(a: Optional[int], b: Optional[int]) -> int:
    if a is not None and b is not None:
        return a * b
    if a is not None:
        return a
    if b is not None:
        return b
    return 0


CASES = [
    ("both", (2, 3)),
    ("both", (2, None)),
    ("both", (None, 3)),
    ("both", (None, None)),
]
