# torch.jit.is_scripting() in an undecorated helper compiled from a script
# function; `not torch.jit.is_scripting()` branches are dropped.
import torch


def helper(x: torch.Tensor) -> torch.Tensor:
    if not torch.jit.is_scripting():
        return x * 1000
    return x + 1


@torch.jit.script
def f(x: torch.Tensor) -> torch.Tensor:
    return helper(x) * 2


CASES = [
    ("f", (torch.tensor([1.0, 2.0]),)),
]
