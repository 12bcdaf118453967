# List[float], List[bool], List[str] equality, min/max, count and membership
# (`in` is not defined on List[bool] in 1.13).
import torch
from typing import List


@torch.jit.script
def kinds(fs: List[float], bs: List[bool], ss: List[str]):
    return max(fs), min(fs), bs.count(True), "b" in ss, ss + ["z"], fs[-2:], bs == [True, False]


CASES = [
    ("kinds", ([0.5, -1.5, 2.25], [True, False], ["a", "b"])),
    ("kinds", ([3.0], [False], ["x"])),
]
