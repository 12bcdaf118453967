# break in a loop over a list and over a dict; values computed before the break survive.
import torch
from typing import Dict, List


@torch.jit.script
def prefix_sum(xs: List[int], limit: int):
    s = 0
    count = 0
    for x in xs:
        if s + x > limit:
            break
        s += x
        count += 1
    return s, count


@torch.jit.script
def first_key(d: Dict[str, int], min_value: int) -> str:
    found = ""
    for k, v in d.items():
        if v >= min_value:
            found = k
            break
    return found


CASES = [
    ("prefix_sum", ([1, 2, 3, 4], 6)),
    ("prefix_sum", ([10], 6)),
    ("first_key", ({"a": 1, "b": 5, "c": 9}, 4)),
    ("first_key", ({"a": 1}, 4)),
]
