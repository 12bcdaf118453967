# Local variable types are inferred from the first assignment; lists and dicts
# of literals get their element types from the elements.
import torch


@torch.jit.script
def infer(x):
    n = 3
    f = 2.5
    s = "ab"
    xs = [1, 2, 3]
    d = {"k": 1.0}
    t = (n, f, s)
    return x * n + f, xs, d, t


CASES = [
    ("infer", (torch.tensor([1.0, -1.0]),)),
]
