# for over an nn.ModuleList inside a scripted module (the loop is unrolled).
# nn.Module programs are checked through their archives (`cts run`) only:
# `cts script` compiles functions and classes, and a module needs its
# Python __init__ to run.
import torch


class Block(torch.nn.Module):
    def __init__(self, k: float):
        super().__init__()
        self.k = k

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x * self.k - 1.0)


class Stack(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = torch.nn.ModuleList([Block(2.0), Block(0.5), Block(3.0)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for b in self.blocks:
            x = b(x) + x
        return x


MODULE_CASES = [
    (Stack(), "forward", (torch.arange(-2., 3.),)),
]
