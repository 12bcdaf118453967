# Reassigning the loop variable inside the body does not change the iteration.
import torch
from typing import List


@torch.jit.script
def shadow(n: int) -> List[int]:
    seen: List[int] = []
    for i in range(n):
        seen.append(i)
        i = i + 100
        seen.append(i)
    return seen


CASES = [
    ("shadow", (3,)),
]
