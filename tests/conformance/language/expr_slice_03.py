# String slices and negative indexing. (An index out of range raises with
# libstdc++'s message in 1.13, so no case here checks that text.)
import torch


@torch.jit.script
def sslice(s: str, i: int):
    return s[1:-1], s[-3:], s[::3], s[i]


CASES = [
    ("sslice", ("abcdefg", -1)),
    ("sslice", ("abcdefg", 2)),
    ("sslice", ("ab", -2)),
]
