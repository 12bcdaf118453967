# A Union must be refined before use.
import torch
from typing import Union


@torch.jit.script
def f(x: Union[int, str]) -> int:
    y = 1
    return x + y
