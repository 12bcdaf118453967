# list() of a tensor's shape, of a range and of a tuple-free list slice; the
# copy is independent of the original.
import torch
from typing import List


@torch.jit.script
def f(x: torch.Tensor, xs: List[float]):
    shape = list(x.shape)
    shape.append(1)
    r = list(range(3))
    c = list(xs[1:])
    c[0] = -1.0
    return shape, x.shape, r, c, xs


CASES = [
    ("f", (torch.zeros(2, 3), [0.5, 1.5, 2.5])),
]
