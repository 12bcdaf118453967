# f-strings without format specs (1.13 rejects `{x:.2f}`: see
# reject/types_str_fstring_format_spec_01.py); values are formatted as str().
import torch
from typing import List


@torch.jit.script
def f(name: str, n: int, x: float, xs: List[int]) -> str:
    return f"{name} has {n} items, mean {x}, list {xs}, sum {n + 1}"


CASES = [
    ("f", ("box", 3, 0.5, [1, 2])),
    ("f", ("", -1, 1e20, [])),
]
