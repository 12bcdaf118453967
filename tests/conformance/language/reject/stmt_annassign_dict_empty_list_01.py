# Empty list literals inside an annotated dict literal are List[Tensor].
import torch
from typing import Dict, List


@torch.jit.script
def f(n: int) -> Dict[str, List[int]]:
    m = n + 1
    groups: Dict[str, List[int]] = {"even": [], "odd": []}
    return groups
