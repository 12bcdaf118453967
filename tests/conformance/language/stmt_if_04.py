# Constant conditions: branches the compiler proves dead are dropped from the graph.
import torch


@torch.jit.script
def const(x: torch.Tensor) -> torch.Tensor:
    debug = False
    if debug:
        print("never")
    if torch.jit.is_scripting():
        x = x + 1
    else:
        x = x - 1
    if 1 < 2:
        x = x * 2
    return x


CASES = [
    ("const", (torch.arange(3.),)),
]
