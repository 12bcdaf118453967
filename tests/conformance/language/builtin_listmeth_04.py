# List methods on lists of tensors: append, pop, insert, len, and torch.cat/stack on them.
import torch
from typing import List


@torch.jit.script
def ops(x: torch.Tensor) -> List[torch.Tensor]:
    ts: List[torch.Tensor] = []
    for i in range(3):
        ts.append(x * i)
    last = ts.pop()
    ts.insert(0, last)
    return [torch.cat(ts), torch.stack(ts), ts[-1]]


CASES = [
    ("ops", (torch.tensor([1.0, 2.0]),)),
]
