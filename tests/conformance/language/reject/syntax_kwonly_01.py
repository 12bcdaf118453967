# Keyword-only parameters are rejected at the def (1.13 reports "variable
# number of arguments or keyword-only arguments").
import torch


@torch.jit.script
def g(a: int, *, scale: int = 2) -> int:
    return a * scale


@torch.jit.script
def f(x: int) -> int:
    return g(x, 3)
