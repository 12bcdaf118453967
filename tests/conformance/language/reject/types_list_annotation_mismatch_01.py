# A List[int] annotation with float elements.
import torch
from typing import List


@torch.jit.script
def f(x: int) -> List[int]:
    xs: List[int] = [1, 2.5]
    return xs
