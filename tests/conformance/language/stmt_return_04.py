# return inside a loop with side effects before it: prints up to the return.
import torch
from typing import List


@torch.jit.script
def trace(xs: List[int]) -> int:
    for x in xs:
        print("visit", x)
        if x < 0:
            print("negative, stop")
            return x
        for y in range(x):
            if y == 2:
                return 1000 + x
    print("done")
    return 0


CASES = [
    ("trace", ([1, 2, -5, 7],)),
    ("trace", ([1, 4],)),
    ("trace", ([0, 1],)),
]
