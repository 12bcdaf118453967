# sorted() returns a new list; list.sort() sorts in place, also with
# reverse=True (sorted() takes no reverse= in 1.13).
import torch
from typing import List


@torch.jit.script
def sorts(xs: List[int], words: List[str], fs: List[float]):
    s = sorted(xs)
    ys = xs.copy()
    ys.sort(reverse=True)
    return xs, s, ys, sorted(words), sorted(fs)


CASES = [
    ("sorts", ([3, -1, 2, 2], ["pear", "Apple", "fig", ""], [0.5, -1.0, 2.25])),
    ("sorts", ([], [], [])),
]
