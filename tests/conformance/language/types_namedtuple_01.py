# NamedTuple classes: construction, field access, indexing, unpacking.
import torch
from typing import NamedTuple, Tuple


class Point(NamedTuple):
    x: float
    y: float


@torch.jit.script
def norm1(px: float, py: float) -> Tuple[float, float, float]:
    p = Point(px, py)
    a, b = p
    return abs(p.x) + abs(p.y), p[0], b


CASES = [
    ("norm1", (3.0, -4.0)),
    ("norm1", (0.0, 0.5)),
]
