# append, extend, insert (also at negative positions), pop (with index), remove.
import torch
from typing import List


@torch.jit.script
def ops(xs: List[int]):
    xs.append(10)
    xs.extend([20, 30])
    xs.insert(0, -1)
    xs.insert(-1, 25)
    xs.insert(100, 99)
    a = xs.pop()
    b = xs.pop(0)
    c = xs.pop(-2)
    xs.remove(20)
    return xs, a, b, c


CASES = [
    ("ops", ([1, 2],)),
    ("ops", ([],)),
]
