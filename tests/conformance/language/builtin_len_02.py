# len of a 0-d tensor raises.
import torch


@torch.jit.script
def tlen(x: torch.Tensor) -> int:
    return len(x)


CASES = [
    ("tlen", (torch.zeros(3, 1),)),
    ("tlen", (torch.tensor(1.0),), "raises"),
]
