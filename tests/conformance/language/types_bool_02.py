# bool tensors: comparisons produce them; any/all and item() give Python bools.
import torch


@torch.jit.script
def masks(x: torch.Tensor):
    m = x > 1
    return m, bool(m.any()), bool(m.all()), m.sum().item(), m.dtype == torch.bool


CASES = [
    ("masks", (torch.tensor([0.5, 1.5, 2.5]),)),
    ("masks", (torch.tensor([2.0, 3.0]),)),
]
