# @torch.jit.ignore calls with keywords become one PythonOp with every
# argument in order (defaults are not used: every argument must be given);
# a call whose result is unused is kept. Not reached here, so the program
# runs without Python.
import torch
from typing import Optional


@torch.jit.ignore
def log_value(x: torch.Tensor, tag: str = "value", scale: Optional[float] = None) -> None:
    print(tag, x)


@torch.jit.ignore
def python_pair(x: torch.Tensor, k: int = 2) -> torch.Tensor:
    return x * k


@torch.jit.script
def f(x: torch.Tensor, debug: bool) -> torch.Tensor:
    if debug:
        log_value(x, "t", scale=2.0)
        x = python_pair(x, k=3)
    return x + 1


CASES = [
    ("f", (torch.ones(2), False)),
]
