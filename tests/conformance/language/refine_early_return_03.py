# Early returns of Optional attributes copied to locals inside a class method.
import torch
from typing import Optional


@torch.jit.script
class Holder(object):
    def __init__(self, v: Optional[int]):
        self.v = v

    def doubled(self) -> int:
        v = self.v
        if v is None:
            return -1
        return v * 2


@torch.jit.script
def use(v: Optional[int]) -> int:
    return Holder(v).doubled()


CASES = [
    ("use", (None,)),
    ("use", (21,)),
]
