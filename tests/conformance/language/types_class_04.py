# Special methods on TorchScript classes: __len__, __getitem__, __contains__,
# __eq__ and __add__ are used by the operators and builtins.
import torch
from typing import List


@torch.jit.script
class Bag(object):
    def __init__(self, items: List[int]):
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> int:
        return self.items[i]

    def __contains__(self, v: int) -> bool:
        return v in self.items

    def __add__(self, other: "Bag") -> "Bag":
        return Bag(self.items + other.items)


@torch.jit.script
def use(a: List[int], b: List[int]):
    x = Bag(a) + Bag(b)
    return len(x), x[0], x[-1], 3 in x, 42 in x


CASES = [
    ("use", ([1, 2], [3, 4])),
]
