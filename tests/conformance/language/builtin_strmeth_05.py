# str.index of a missing substring raises; str.format with no placeholders.
import torch


@torch.jit.script
def idx(x: str, sub: str) -> int:
    return x.index(sub)


CASES = [
    ("idx", ("hello", "l")),
    ("idx", ("hello", "z"), "raises"),
]
