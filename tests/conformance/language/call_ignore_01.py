# @torch.jit.ignore functions stay Python: the graph holds a Python call. The
# branch is not taken here, so the program runs without Python. (PyTorch
# cannot save such a function, so there is no archive for it.)
import torch


@torch.jit.ignore
def python_only(x: torch.Tensor) -> torch.Tensor:
    return x * 100


@torch.jit.script
def f(x: torch.Tensor, use_python: bool) -> torch.Tensor:
    if use_python:
        return python_only(x)
    return x - 1


CASES = [
    ("f", (torch.ones(2), False)),
]
