# assert with and without a message; a passing assert does nothing.
import torch


@torch.jit.script
def checked(x: int) -> int:
    assert x >= 0, "x must be non-negative, got " + str(x)
    assert x != 13
    return x * 2


CASES = [
    ("checked", (4,)),
    ("checked", (-1,), "raises"),
    ("checked", (13,), "raises"),
]
