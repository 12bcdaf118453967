# `is` between ints compiles in 1.13 and compares their values (aten::__is__
# on primitive values). (On strings it compares identity, which is an
# implementation detail, so it is not tested.)
import torch


@torch.jit.script
def f(x: int, z: int):
    y = x
    return x is y, x is z, x is not z


CASES = [
    ("f", (3, 3)),
    ("f", (4, 5)),
]
