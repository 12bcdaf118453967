# hasattr on class objects is a compile-time constant, in a ternary and in an if.
import torch


@torch.jit.script
class WithScale(object):
    def __init__(self):
        self.scale = 3.0


@torch.jit.script
class Plain(object):
    def __init__(self):
        self.value = 1.0


@torch.jit.script
def f(x: float):
    a = WithScale()
    b = Plain()
    ra = x * a.scale if hasattr(a, "scale") else x
    rb = x
    if hasattr(b, "scale"):
        rb = -1.0
    return ra, rb


CASES = [
    ("f", (2.0,)),
]
