# raise keeps the exception class and the message.
import torch


@torch.jit.script
def check(x: int) -> int:
    if x < 0:
        raise ValueError("negative: " + str(x))
    if x == 0:
        raise RuntimeError("zero")
    if x > 100:
        raise IndexError("too big")
    return x


CASES = [
    ("check", (5,)),
    ("check", (-2,), "raises"),
    ("check", (0,), "raises"),
    ("check", (101,), "raises"),
]
