# for over a tuple is unrolled: elements may have different types.
import torch


@torch.jit.script
def hetero(x: torch.Tensor) -> str:
    parts = ""
    for v in (3, "a", 0.5, True, None):
        parts = parts + str(v) + " "
    for v in (1, 2.5, x):
        parts = parts + str(v * 2) + ";"
    return parts


CASES = [
    ("hetero", (torch.ones(1, dtype=torch.int64),)),
]
