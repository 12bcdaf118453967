# Reductions with dims and keepdim: sum, mean, max (values, indices), argmax, prod, std, var.
import torch


@torch.jit.script
def red(x: torch.Tensor):
    v, i = x.max(1)
    mv, mi = torch.min(x, dim=0, keepdim=True)
    return (x.sum(1), x.mean(0), v, i, mv, mi, x.argmax(), x.prod(1), x.std(), x.var(1, unbiased=False),
            x.sum(dim=[0, 1]), x.norm())


CASES = [
    ("red", (torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]]),)),
]
