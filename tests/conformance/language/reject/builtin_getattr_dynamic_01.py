# getattr needs a constant attribute name.
import torch


@torch.jit.script
class C(object):
    def __init__(self):
        self.a = 1


@torch.jit.script
def f(name: str) -> int:
    c = C()
    return getattr(c, name)
