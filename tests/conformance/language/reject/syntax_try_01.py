# try/except is not supported.
import torch


@torch.jit.script
def f(x: int) -> int:
    try:
        return 10 // x
    except ZeroDivisionError:
        return 0
