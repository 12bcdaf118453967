# A `# type:` comment with an Optional parameter and a default value.
import torch
from typing import Optional


@torch.jit.script
def h(x, scale=None):
    # type: (Tensor, Optional[float]) -> Tensor
    if scale is None:
        return x
    return x * scale


CASES = [
    ("h", (torch.arange(3.), None)),
    ("h", (torch.arange(3.), 0.5)),
]
