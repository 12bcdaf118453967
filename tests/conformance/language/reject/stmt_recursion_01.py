# Direct recursion is not supported: a function may not call itself.
import torch


@torch.jit.script
def fact(n: int) -> int:
    if n <= 1:
        return 1
    return n * fact(n - 1)
