# assert on tensors and shapes, printing before failing.
import torch


@torch.jit.script
def square(x: torch.Tensor) -> torch.Tensor:
    print("checking", x.shape)
    assert x.dim() == 2 and x.size(0) == x.size(1), "expected a square matrix"
    assert bool((x >= 0).all()), "negative entries"
    return x.matmul(x)


CASES = [
    ("square", (torch.arange(4.).reshape(2, 2),)),
    ("square", (torch.zeros(2, 3),), "raises"),
    ("square", (-torch.ones(2, 2),), "raises"),
]
