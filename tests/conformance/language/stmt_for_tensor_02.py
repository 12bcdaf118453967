# for over a 1-d tensor yields 0-d tensors.
import torch


@torch.jit.script
def running_max(x: torch.Tensor) -> torch.Tensor:
    best = x[0]
    out = torch.empty_like(x)
    i = 0
    for v in x:
        if bool(v > best):
            best = v
        out[i] = best
        i += 1
    return out


CASES = [
    ("running_max", (torch.tensor([1.0, 3.0, 2.0, 5.0, 4.0]),)),
]
