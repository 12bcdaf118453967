# __constants__ and Final attributes become constants in the graph; a
# submodule's parameters are used through attribute access.
import torch
from typing import Final


class Scaled(torch.nn.Module):
    __constants__ = ["factor"]
    offset: Final[int]

    def __init__(self):
        super().__init__()
        self.factor = 2.5
        self.offset = 3
        self.weight = torch.nn.Parameter(torch.tensor([1.0, -1.0]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weight * self.factor + self.offset


MODULE_CASES = [
    (Scaled(), "forward", (torch.tensor([2.0, 2.0]),)),
]
