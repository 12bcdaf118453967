# split, rsplit, join, splitlines, partition-free parsing.
import torch


@torch.jit.script
def s(x: str):
    return x.split(), x.split(","), x.split(",", 1), x.rsplit(",", 1), "-".join(x.split(",")), x.splitlines()


CASES = [
    ("s", ("a,b,,c",)),
    ("s", ("  two words \n next line",)),
    ("s", ("",)),
]
