# `is` on tensors compares identity, `==` compares elements.
import torch


@torch.jit.script
def same(x: torch.Tensor):
    y = x
    z = x.clone()
    return x is y, x is z, bool((x == z).all())


CASES = [
    ("same", (torch.arange(3),)),
]
