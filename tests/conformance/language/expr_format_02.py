# .format with tensors, None, bools and nested containers; print of the result.
import torch
from typing import Dict, Optional


@torch.jit.script
def fmt(x: torch.Tensor, o: Optional[int], d: Dict[str, float]) -> str:
    s = "t={} o={} b={} d={}".format(x, o, True, d)
    print(s)
    return s


CASES = [
    ("fmt", (torch.tensor([1.5, -2.0]), None, {"k": 0.5})),
    ("fmt", (torch.tensor(3), 4, {})),
]
