# return and break inside `with torch.no_grad()`: the block is exited properly
# and grad mode is restored.
import torch


@torch.jit.script
def ret(x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        y = x * 2
        return y


@torch.jit.script
def brk(x: torch.Tensor, n: int):
    for i in range(n):
        with torch.no_grad():
            x = x + 1
            if i > 2:
                break
    return x, torch.is_grad_enabled()


CASES = [
    ("ret", (torch.ones(2),)),
    ("brk", (torch.zeros(1), 10)),
    ("brk", (torch.zeros(1), 2)),
]
