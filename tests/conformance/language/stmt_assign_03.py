# Tensor subscript assignment with masks, multi-dim indices and ellipsis.
import torch


@torch.jit.script
def fill(x: torch.Tensor) -> torch.Tensor:
    y = x.clone()
    y[y < 0] = 0.0
    y[0, 1] = -1.0
    y[:, -1] = 5.0
    y[..., 0] += 10.0
    return y


CASES = [
    ("fill", (torch.arange(-6., 6.).reshape(3, 4),)),
]
