# A class with an Optional attribute: it is refined through a local copy
# (attributes are not refined in place); it is declared with torch.jit.annotate.
import torch
from typing import Optional


@torch.jit.script
class Cache(object):
    def __init__(self):
        self.value = torch.jit.annotate(Optional[int], None)
        self.hits = 0

    def get(self, compute: int) -> int:
        v = self.value
        if v is None:
            self.value = compute
            return compute
        self.hits += 1
        return v


@torch.jit.script
def use(a: int, b: int):
    c = Cache()
    return c.get(a), c.get(b), c.hits


CASES = [
    ("use", (4, 5)),
]
