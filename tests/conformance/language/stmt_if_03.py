# Conditions of other types: non-empty list/str/int truthiness is not allowed,
# so conditions compare explicitly; tensor conditions use bool().
import torch
from typing import List


@torch.jit.script
def cond(xs: List[int], s: str, t: torch.Tensor) -> List[str]:
    out: List[str] = []
    if len(xs) > 0:
        out.append("list")
    if s != "":
        out.append("str")
    if bool(t.any()):
        out.append("tensor")
    if t.numel() == 1 and t.item() == 0:
        out.append("zero")
    return out


CASES = [
    ("cond", ([1], "x", torch.tensor([1.0]))),
    ("cond", ([], "", torch.tensor([0.0]))),
]
