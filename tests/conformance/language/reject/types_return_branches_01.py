# Branches return different types without an annotation to unify them.
import torch


@torch.jit.script
def f(x: int):
    if x > 0:
        return 1
    return "neg"
