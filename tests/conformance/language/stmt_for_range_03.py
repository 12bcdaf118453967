# Nested loops building a tensor element by element.
import torch


@torch.jit.script
def table(n: int, m: int) -> torch.Tensor:
    t = torch.zeros(n, m, dtype=torch.int64)
    for i in range(n):
        for j in range(m):
            t[i, j] = i * m + j
    return t


CASES = [
    ("table", (2, 3)),
    ("table", (0, 3)),
]
