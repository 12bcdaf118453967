# Functions defined later in the file may be called by undecorated helpers;
# mutual calls between undecorated helpers (without recursion).
import torch


def a(x: int) -> int:
    return b(x) + 1


def b(x: int) -> int:
    return c(x) * 2


def c(x: int) -> int:
    return x - 3


@torch.jit.script
def top(x: int) -> int:
    return a(x) + c(x)


CASES = [
    ("top", (10,)),
    ("top", (-1,)),
]
