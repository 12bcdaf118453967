# Methods with default arguments, and a class used by two functions.
import torch


@torch.jit.script
class Acc(object):
    def __init__(self):
        self.total = 0.0
        self.count = 0

    def add(self, v: float, weight: int = 1) -> None:
        self.total += v * weight
        self.count += weight

    def mean(self) -> float:
        if self.count == 0:
            return 0.0
        return self.total / self.count


@torch.jit.script
def weighted(xs: torch.Tensor) -> float:
    a = Acc()
    for i in range(xs.size(0)):
        a.add(float(xs[i]), i + 1)
    a.add(100.0)
    return a.mean()


CASES = [
    ("weighted", (torch.tensor([1.0, 2.0, 3.0]),)),
    ("weighted", (torch.zeros(0),)),
]
