# Optional[Tensor] results and a variable that is None on one path.
import torch
from typing import Optional


@torch.jit.script
def first_positive(x: torch.Tensor) -> Optional[torch.Tensor]:
    result: Optional[torch.Tensor] = None
    for i in range(x.size(0)):
        if bool(x[i] > 0):
            result = x[i]
            break
    return result


CASES = [
    ("first_positive", (torch.tensor([-1.0, 0.0, 2.0, 3.0]),)),
    ("first_positive", (torch.tensor([-1.0, -2.0]),)),
    ("first_positive", (torch.zeros(0),)),
]
