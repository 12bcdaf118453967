# Iterating over an Enum class, and Enums with float values.
import torch
from enum import Enum


class Scale(Enum):
    SMALL = 0.5
    LARGE = 2.0


@torch.jit.script
def apply(x: torch.Tensor):
    out = []
    for s in Scale:
        out.append(x * s.value)
    return out


CASES = [
    ("apply", (torch.arange(3.),)),
]
