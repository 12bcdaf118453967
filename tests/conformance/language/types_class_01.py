# A TorchScript class: __init__, attributes, methods, mutation.
import torch


@torch.jit.script
class Counter(object):
    def __init__(self, start: int):
        self.n = start
        self.history = [start]

    def inc(self, by: int) -> int:
        self.n += by
        self.history.append(self.n)
        return self.n


@torch.jit.script
def count(steps: int):
    c = Counter(10)
    for i in range(steps):
        c.inc(i)
    return c.n, c.history


CASES = [
    ("count", (4,)),
    ("count", (0,)),
]
