# Enum classes: members, .name, .value, equality.
import torch
from enum import Enum


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


@torch.jit.script
def is_red(v: int) -> bool:
    return Color.RED.value == v


@torch.jit.script
def names():
    c = Color.GREEN
    return c.name, c.value, c == Color.GREEN, c != Color.BLUE


CASES = [
    ("is_red", (1,)),
    ("is_red", (2,)),
    ("names", ()),
]
