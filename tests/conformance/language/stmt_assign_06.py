# Outside of branches and loops a name may be rebound to a value of another
# type (only control flow requires one type per variable).
import torch


@torch.jit.script
def f(x: int):
    y = x
    first = y * 2
    y = "string"
    second = y + "!"
    y = [x, x]
    return first, second, y


CASES = [
    ("f", (2,)),
]
