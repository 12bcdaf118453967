# torch.is_grad_enabled() inside and after a no_grad block; early exits are
# not allowed inside `with`, so the value is carried out.
import torch
from typing import List


@torch.jit.script
def flags(x: torch.Tensor) -> List[bool]:
    out: List[bool] = [torch.is_grad_enabled()]
    with torch.no_grad():
        out.append(torch.is_grad_enabled())
        x = x + 1
    out.append(torch.is_grad_enabled())
    out.append(x.requires_grad)
    return out


CASES = [
    ("flags", (torch.ones(2),)),
]
