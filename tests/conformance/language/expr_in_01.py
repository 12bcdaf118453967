# `in` / `not in` on lists, dicts (keys) and strings.
import torch
from typing import Dict, List


@torch.jit.script
def member(x: int, xs: List[int], d: Dict[str, int], s: str):
    return x in xs, x not in xs, s in d, s not in d, s in "abcdef", "" in s


CASES = [
    ("member", (2, [1, 2, 3], {"a": 1}, "a")),
    ("member", (5, [], {}, "zz")),
]
