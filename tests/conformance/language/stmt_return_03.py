# Early returns in if/elif chains; code after a return in a branch.
import torch


@torch.jit.script
def sign(x: float) -> int:
    if x > 0:
        return 1
    elif x < 0:
        return -1
    if x != x:
        return 99
    return 0


@torch.jit.script
def clip(x: torch.Tensor, lo: float) -> torch.Tensor:
    if bool(x.min() >= lo):
        return x
    y = x.clone()
    y[y < lo] = lo
    return y


CASES = [
    ("sign", (2.5,)),
    ("sign", (-0.1,)),
    ("sign", (0.0,)),
    ("sign", (float("nan"),)),
    ("clip", (torch.tensor([1.0, -1.0, 3.0]), 0.0)),
    ("clip", (torch.tensor([1.0, 2.0]), 0.0)),
]
