# Integer division by zero raises (`division by 0`). (`int % 0` is left out:
# PyTorch 1.13 dies of SIGFPE there; cts should raise instead.)
import torch


@torch.jit.script
def div(a: int, b: int) -> int:
    return a // b


@torch.jit.script
def mod(a: int, b: int) -> int:
    return a % b


CASES = [
    ("div", (7, 0), "raises"),
    ("mod", (7, 3)),
    ("div", (7, 7)),
]
