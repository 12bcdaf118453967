# return from inside a for loop (PyTorch's exit transform).
import torch
from typing import List


@torch.jit.script
def index_of(xs: List[str], s: str) -> int:
    for i, x in enumerate(xs):
        if x == s:
            return i
    return -1


CASES = [
    ("index_of", (["a", "b", "c"], "b")),
    ("index_of", (["a", "b", "c"], "z")),
    ("index_of", ([], "z")),
]
