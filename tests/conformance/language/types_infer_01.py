# Unannotated parameters are Tensor; an unannotated result is inferred.
import torch


@torch.jit.script
def mix(a, b):
    c = a * b
    return c.sum(), c


@torch.jit.script
def call_mix(x):
    s, c = mix(x, x + 1)
    return s + c.mean()


CASES = [
    ("mix", (torch.arange(4.), torch.ones(4))),
    ("call_mix", (torch.tensor([[1.0, 2.0], [3.0, 4.0]]),)),
]
