# len() of an int is accepted by 1.13: the int is wrapped in a one-element
# list (prim::ListConstruct to Any[]), so len(5) == 1. Python raises TypeError.
import torch


@torch.jit.script
def f(n: int) -> int:
    m = n + 1
    return len(m)


CASES = [
    ("f", (3,)),
]
