# Tensor slicing: steps, negative indices, multiple dimensions, None and ellipsis.
import torch


@torch.jit.script
def tslice(x: torch.Tensor):
    return x[1:], x[:, -1], x[::2, 1::2], x[-1, :], x[None, 0].shape, x[..., 0], x[0][-1]


CASES = [
    ("tslice", (torch.arange(12).reshape(3, 4),)),
]
