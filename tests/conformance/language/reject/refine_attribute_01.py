# An Optional attribute is not refined by `is not None` (only locals are).
import torch
from typing import Optional


@torch.jit.script
class Holder(object):
    def __init__(self, v: Optional[int]):
        self.v = v

    def doubled(self) -> int:
        if self.v is not None:
            return self.v * 2
        return -1
