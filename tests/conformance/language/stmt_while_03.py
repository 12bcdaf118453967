# while with break and continue, and a tensor condition.
import torch


@torch.jit.script
def halve(x: torch.Tensor, limit: int):
    count = 0
    while bool(x.abs().max() > 1):
        count += 1
        if count > limit:
            break
        x = x / 2
        if count % 2 == 0:
            continue
        x = x + 0.125
    return x, count


CASES = [
    ("halve", (torch.tensor([10.0, -3.0]), 100)),
    ("halve", (torch.tensor([1000.0]), 2)),
    ("halve", (torch.tensor([0.5]), 5)),
]
