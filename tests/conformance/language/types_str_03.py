# String indexing, slicing, comparison and concatenation.
import torch


@torch.jit.script
def idx(s: str, i: int):
    return s[i], s[-1], s[1:3], s[::-1], s[::2], s < "m", s + s


CASES = [
    ("idx", ("python", 0)),
    ("idx", ("ab", -2)),
]
