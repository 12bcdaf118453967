# Module attributes of several types (int, float, str, list, dict, tensor buffer,
# Optional) read and updated in forward; empty or None attributes are
# declared in the class body.
import torch
from typing import Dict, List, Optional


class State(torch.nn.Module):
    history: List[int]
    table: Dict[str, int]
    last: Optional[torch.Tensor]

    def __init__(self):
        super().__init__()
        self.count = 0
        self.rate = 0.5
        self.name = "state"
        self.history = []
        self.table = {"a": 1}
        self.last = None
        self.register_buffer("total", torch.zeros(2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.count += 1
        self.history.append(self.count)
        self.table[self.name + str(self.count)] = len(self.history)
        self.total += x * self.rate
        self.last = x
        return self.total.clone()


MODULE_CASES = [
    (State(), "forward", (torch.tensor([2.0, 4.0]),)),
]
