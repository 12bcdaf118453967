# A class method calling itself is recursion too.
import torch


@torch.jit.script
class Tree(object):
    def __init__(self, depth: int):
        self.depth = depth

    def count(self, d: int) -> int:
        if d == 0:
            return 1
        return 2 * self.count(d - 1)
