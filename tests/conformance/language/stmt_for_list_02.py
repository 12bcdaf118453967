# for over a list of tensors; for over a list literal.
import torch
from typing import List


@torch.jit.script
def stack_sum(ts: List[torch.Tensor]) -> torch.Tensor:
    acc = torch.zeros(2)
    for t in ts:
        acc = acc + t
    for k in [1.0, 2.0, 3.0]:
        acc = acc * k
    return acc


CASES = [
    ("stack_sum", ([torch.ones(2), torch.tensor([1.0, -1.0])],)),
    ("stack_sum", ([],)),
]
