# Refinement through `and`: the right operand and the body see the refined type.
import torch
from typing import Optional


@torch.jit.script
def positive(x: Optional[int]) -> bool:
    return x is not None and x > 0


@torch.jit.script
def body(x: Optional[int], y: Optional[int]) -> int:
    if x is not None and y is not None and x > y:
        return x - y
    return 0


CASES = [
    ("positive", (None,)),
    ("positive", (5,)),
    ("positive", (-5,)),
    ("body", (5, 3)),
    ("body", (3, 5)),
    ("body", (None, 5)),
]
