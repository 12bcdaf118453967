# @torch.jit.ignore(drop=True) is @torch.jit.unused; arguments are still
# matched against the signature before the raise: keywords work, defaults
# do not (PyTorch's signature of a Python function has none).
import torch
from typing import List


@torch.jit.ignore(drop=True)
def dropped(xs: List[int], scale: int = 2) -> List[int]:
    return [x * scale for x in xs]


@torch.jit.unused
def unused_kw(x: torch.Tensor, offset: float = 1.0, name: str = "n") -> torch.Tensor:
    return x + offset


@torch.jit.script
def f(xs: List[int], x: torch.Tensor, mode: int) -> int:
    if mode == 1:
        return len(dropped(xs, scale=3))
    if mode == 2:
        return int(unused_kw(x, name="m", offset=2.0).sum())
    return len(xs)


CASES = [
    ("f", ([1, 2], torch.ones(2), 0)),
    ("f", ([1, 2], torch.ones(2), 1), "raises"),
    ("f", ([1, 2], torch.ones(2), 2), "raises"),
]
