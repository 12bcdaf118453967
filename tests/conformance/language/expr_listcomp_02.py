# List comprehensions over tensors and nested ones. (Comprehension `if`
# clauses are not supported in 1.13: see reject/expr_listcomp_if_01.py.)
import torch
from typing import List


@torch.jit.script
def comps(x: torch.Tensor, n: int):
    rows = [r.sum() for r in x]
    evens = [i * 2 for i in range(n)]
    grid = [[i * j for j in range(3)] for i in range(n)]
    return rows, evens, grid


CASES = [
    ("comps", (torch.arange(6.).reshape(2, 3), 5)),
]
