# `in` on lists of strings and floats (1.13 has no `in` for List[Tensor]);
# NaN is not in a list holding NaN.
import torch
from typing import List


@torch.jit.script
def member(words: List[str], fs: List[float]):
    return "b" in words, 0.5 in fs, float("nan") in fs, "" in words


CASES = [
    ("member", (["a", "b"], [0.5, 1.0, float("nan")])),
    ("member", ([], [])),
]
