# Optional results through a call chain, refined with `or` and an early return.
import torch
from typing import Optional, Tuple


@torch.jit.script
def parse(s: str) -> Optional[int]:
    if s.isdigit():
        return int(s)
    return None


@torch.jit.script
def total(a: str, b: str) -> Tuple[int, bool]:
    x = parse(a)
    y = parse(b)
    if x is None or y is None:
        return -1, False
    return x + y, True


CASES = [
    ("total", ("12", "30")),
    ("total", ("12", "x")),
    ("total", ("?", "3")),
]
