# assert with an f-string-free formatted message built by .format.
import torch
from typing import List


@torch.jit.script
def same_len(a: List[int], b: List[int]) -> int:
    assert len(a) == len(b), "lengths differ: {} vs {}".format(len(a), len(b))
    return len(a)


CASES = [
    ("same_len", ([1, 2], [3, 4])),
    ("same_len", ([1, 2], [3]), "raises"),
]
