# Padding and alignment: center, ljust, rjust, zfill, expandtabs.
import torch


@torch.jit.script
def s(x: str, w: int):
    return x.center(w), x.ljust(w, "."), x.rjust(w, "*"), x.zfill(w), "a\tb".expandtabs(4)


CASES = [
    ("s", ("ab", 6)),
    ("s", ("-12", 5)),
    ("s", ("long string", 3)),
]
