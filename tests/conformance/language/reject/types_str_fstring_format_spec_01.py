# A format spec in an f-string is not supported.
import torch


@torch.jit.script
def f(x: float) -> str:
    return f"{x:.2f}"
