# An annotated assignment does not convert: float annotation, int value.
import torch


@torch.jit.script
def f(x: int) -> float:
    y = x + 1
    g: float = y
    return g
