# NamedTuples passed between functions and holding tensors; returned as plain tuples.
import torch
from typing import NamedTuple, Tuple


class Stats(NamedTuple):
    mean: torch.Tensor
    count: int


@torch.jit.script
def stats(x: torch.Tensor) -> Stats:
    return Stats(x.mean(), x.numel())


@torch.jit.script
def report(x: torch.Tensor) -> Tuple[torch.Tensor, int]:
    s = stats(x)
    return s.mean * 2, s.count


CASES = [
    ("report", (torch.arange(6.).reshape(2, 3),)),
]
