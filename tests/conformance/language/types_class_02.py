# Classes holding tensors; methods calling methods; objects as arguments.
import torch


@torch.jit.script
class Linear(object):
    def __init__(self, w: torch.Tensor, b: torch.Tensor):
        self.w = w
        self.b = b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.matmul(self.w) + self.b

    def twice(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward(self.forward(x))


@torch.jit.script
def apply(layer: Linear, x: torch.Tensor) -> torch.Tensor:
    return layer.twice(x)


@torch.jit.script
def run(x: torch.Tensor) -> torch.Tensor:
    layer = Linear(torch.eye(2) * 2, torch.ones(2))
    return apply(layer, x)


CASES = [
    ("run", (torch.tensor([[1.0, 2.0]]),)),
]
