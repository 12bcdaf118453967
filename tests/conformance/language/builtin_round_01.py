# round of floats: in TorchScript 1.13 round(x) returns a float (Python: an
# int) and rounds halves to even; torch.round on tensors agrees.
import torch
from typing import List


@torch.jit.script
def rounds(xs: List[float]) -> List[float]:
    return [round(x) for x in xs]


@torch.jit.script
def tround(x: torch.Tensor) -> torch.Tensor:
    return torch.round(x)


CASES = [
    ("rounds", ([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6, -2.6],)),
    ("tround", (torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]),)),
]
