# raise of an exception class without a message, and a raise in an else branch
# that makes the branch's value unnecessary.
import torch


@torch.jit.script
def pick(i: int) -> str:
    if i == 0:
        s = "zero"
    elif i == 1:
        s = "one"
    else:
        raise NotImplementedError
    return s


CASES = [
    ("pick", (0,)),
    ("pick", (1,)),
    ("pick", (2,), "raises"),
]
