# Recursion through an undecorated helper: the helper is compiled while the
# caller is being defined, so PyTorch reports the caller as an undefined value.
import torch


def helper(n: int) -> int:
    if n <= 0:
        return 0
    return walk(n - 1) + 1


@torch.jit.script
def walk(n: int) -> int:
    return helper(n)
