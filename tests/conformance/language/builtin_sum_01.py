# sum of lists of ints and floats; sum of a tensor.
import torch
from typing import List


@torch.jit.script
def sums(xs: List[int], fs: List[float], x: torch.Tensor):
    return sum(xs), sum(fs), x.sum(), torch.sum(x, 0)


CASES = [
    ("sums", ([1, 2, 3], [0.5, 0.25], torch.arange(6.).reshape(2, 3))),
    ("sums", ([], [], torch.zeros(0, 2))),
]
