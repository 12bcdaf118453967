# assert isinstance refines a Union; assert on two Optionals with `and`.
import torch
from typing import Optional, Union


@torch.jit.script
def as_str(x: Union[int, str]) -> str:
    assert isinstance(x, str)
    return x + "!"


@torch.jit.script
def add(a: Optional[float], b: Optional[float]) -> float:
    assert a is not None and b is not None
    return a + b


CASES = [
    ("as_str", ("hi",)),
    ("as_str", (3,), "raises"),
    ("add", (1.5, 2.0)),
    ("add", (1.5, None), "raises"),
]
