# None as a value and as a result; functions without return give None.
import torch
from typing import Optional


@torch.jit.script
def nothing(x: int) -> None:
    y = x + 1
    print("y is", y)


@torch.jit.script
def maybe(x: int) -> Optional[int]:
    if x > 0:
        return x
    return None


@torch.jit.script
def noneval():
    a = None
    return a is None, a


CASES = [
    ("nothing", (41,)),
    ("maybe", (3,)),
    ("maybe", (-3,)),
    ("noneval", ()),
]
