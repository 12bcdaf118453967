# `assert x is not None` refines x for the rest of the block.
import torch
from typing import Optional


@torch.jit.script
def unwrap(x: Optional[int]) -> int:
    assert x is not None, "x is required"
    return x * 3


CASES = [
    ("unwrap", (4,)),
    ("unwrap", (None,), "raises"),
]
