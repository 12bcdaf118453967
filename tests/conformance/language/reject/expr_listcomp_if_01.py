# Comprehension `if` clauses are not supported in 1.13 (NotSupportedError).
import torch
from typing import List


@torch.jit.script
def f(n: int) -> List[int]:
    base = [i for i in range(n)]
    return [i for i in base if i % 2 == 0]
