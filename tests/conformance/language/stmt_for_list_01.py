# for over lists of ints, floats, strings and lists; appending during iteration
# of another list.
import torch
from typing import List


@torch.jit.script
def walk(xs: List[int], words: List[str], rows: List[List[float]]):
    s = 0
    for x in xs:
        s += x
    joined = ""
    for w in words:
        joined += w.upper()
    sums: List[float] = []
    for r in rows:
        acc = 0.0
        for v in r:
            acc += v
        sums.append(acc)
    return s, joined, sums


CASES = [
    ("walk", ([1, 2, 3], ["a", "b"], [[0.5, 0.25], [], [1.0]])),
    ("walk", ([], [], [])),
]
