# `self.value: Optional[int] = None` in __init__ does not declare the attribute
# Optional in 1.13: it is NoneType, and assigning an int to it later fails.
import torch
from typing import Optional


@torch.jit.script
class Cache(object):
    def __init__(self):
        self.value: Optional[int] = None
        self.hits = 0

    def get(self, compute: int) -> int:
        v = self.value
        if v is None:
            self.value = compute
            return compute
        self.hits += 1
        return v

