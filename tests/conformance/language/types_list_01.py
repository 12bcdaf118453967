# List[int]: construction, indexing (negative too), len, equality, concatenation.
import torch
from typing import List


@torch.jit.script
def basics(xs: List[int]):
    ys = xs + [10, 20]
    return len(xs), ys, ys[-1], ys[0], ys == [1, 2, 3, 10, 20], [0] * 3


CASES = [
    ("basics", ([1, 2, 3],)),
    ("basics", ([],)),
]
