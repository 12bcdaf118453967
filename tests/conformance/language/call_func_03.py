# Default arguments and keyword arguments in calls between script functions.
import torch
from typing import Optional


@torch.jit.script
def scale(x: float, factor: float = 2.0, offset: Optional[float] = None) -> float:
    r = x * factor
    if offset is not None:
        r = r + offset
    return r


@torch.jit.script
def use(x: float):
    return scale(x), scale(x, 3.0), scale(x, offset=1.0), scale(offset=-1.0, x=x, factor=0.5)


CASES = [
    ("use", (4.0,)),
]
