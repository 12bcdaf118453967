# range objects: list(range(...)), len(range(...)), indexing via a list.
import torch


@torch.jit.script
def rng(a: int, b: int, s: int):
    r = list(range(a, b, s))
    return r, len(r), [i for i in range(a, b, s)], list(range(b))


CASES = [
    ("rng", (0, 10, 3)),
    ("rng", (10, 0, -4)),
    ("rng", (5, 5, 1)),
]
