# @torch.jit.unused on a helper with a return value used in an expression;
# reaching it raises PyTorch's message, before which prints are kept.
import torch


@torch.jit.unused
def legacy(x: int) -> int:
    return x * 1000


@torch.jit.script
def f(x: int) -> int:
    print("start", x)
    if x > 10:
        return legacy(x) + 1
    return x


CASES = [
    ("f", (5,)),
    ("f", (50,), "raises"),
]
