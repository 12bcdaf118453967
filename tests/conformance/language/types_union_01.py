# Union parameters refined with isinstance.
import torch
from typing import Union


@torch.jit.script
def describe(x: Union[int, str]) -> str:
    if isinstance(x, int):
        return "int " + str(x + 1)
    else:
        return "str " + x.upper()


CASES = [
    ("describe", (41,)),
    ("describe", ("abc",)),
]
