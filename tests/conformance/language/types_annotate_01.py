# torch.jit.annotate gives types to empty containers and None.
import torch
from typing import Dict, List, Optional, Tuple


@torch.jit.script
def ann(n: int):
    a = torch.jit.annotate(List[Tuple[int, str]], [])
    b = torch.jit.annotate(Dict[int, List[float]], {})
    c = torch.jit.annotate(Optional[torch.Tensor], None)
    for i in range(n):
        a.append((i, str(i)))
        b[i] = [float(i)]
    if n > 1:
        c = torch.ones(n)
    return a, b, c


CASES = [
    ("ann", (0,)),
    ("ann", (3,)),
]
