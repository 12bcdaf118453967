# continue and break in the same loop, continue in nested loops.
import torch
from typing import List


@torch.jit.script
def scan(rows: List[List[int]]) -> List[int]:
    out: List[int] = []
    for r in rows:
        if len(r) == 0:
            continue
        for v in r:
            if v < 0:
                continue
            if v > 100:
                break
            out.append(v)
    return out


CASES = [
    ("scan", ([[1, -2, 3], [], [200, 4], [5, 101, 6]],)),
]
