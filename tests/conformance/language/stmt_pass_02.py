# pass in a class method body and as the body of an elif; a docstring-only function.
import torch


@torch.jit.script
class Noop(object):
    def __init__(self):
        self.n = 0

    def touch(self) -> None:
        pass


@torch.jit.script
def doc() -> int:
    """A function whose body is a docstring and a return."""
    return 1


@torch.jit.script
def f(x: int) -> int:
    Noop().touch()
    if x == 0:
        x = 1
    elif x == 1:
        pass
    else:
        x = 2
    return x + doc()


CASES = [
    ("f", (0,)),
    ("f", (1,)),
    ("f", (5,)),
]
