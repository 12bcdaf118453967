# pass in branches, loops and as a whole function body.
import torch


@torch.jit.script
def nothing() -> None:
    pass


@torch.jit.script
def only_else(x: int) -> int:
    if x > 0:
        pass
    else:
        x = -x
    for i in range(3):
        pass
    while False:
        pass
    return x


CASES = [
    ("nothing", ()),
    ("only_else", (5,)),
    ("only_else", (-5,)),
]
