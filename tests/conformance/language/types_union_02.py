# Union of Tensor, float and None; results of union type.
import torch
from typing import Union, Optional


@torch.jit.script
def as_float(x: Union[torch.Tensor, float, None]) -> float:
    if x is None:
        return 0.0
    if isinstance(x, float):
        return x * 2.0
    return float(x.sum().item())


CASES = [
    ("as_float", (None,)),
    ("as_float", (1.25,)),
    ("as_float", (torch.tensor([1.0, 2.5]),)),
]
