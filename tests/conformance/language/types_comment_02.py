# `# type:` comments on a TorchScript class's methods (self is not listed).
# (1.13 reads `# type:` only as a signature comment: a `# type:` comment on a
# local assignment is taken for the signature and fails with no line number.)
import torch
from typing import List


@torch.jit.script
class Stack(object):
    def __init__(self):
        # type: () -> None
        self.items = torch.jit.annotate(List[int], [])

    def push(self, v):
        # type: (int) -> int
        self.items.append(v)
        return len(self.items)

    def pop(self):
        # type: () -> int
        return self.items.pop()


@torch.jit.script
def g(k):
    # type: (int) -> List[int]
    s = Stack()
    for i in range(k):
        s.push(i * i)
    out = torch.jit.annotate(List[int], [])
    while len(s.items) > 0:
        out.append(s.pop())
    return out


CASES = [
    ("g", (0,)),
    ("g", (4,)),
]
