# @torch.jit.export makes a method other than forward callable; it can call
# forward and other methods.
import torch
from typing import List


class Counter(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = 3

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale

    @torch.jit.export
    def describe(self, n: int) -> List[str]:
        return ["item" + str(i * self.scale) for i in range(n)]

    @torch.jit.export
    def twice(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward(self.forward(x))


MODULE_CASES = [
    (Counter(), "forward", (torch.ones(2),)),
    (Counter(), "describe", (3,)),
    (Counter(), "twice", (torch.tensor([1.0, -1.0]),)),
]
