# .format with more placeholders used in a loop, and literal braces-free text.
import torch
from typing import List


@torch.jit.script
def table(names: List[str], scores: List[float]) -> List[str]:
    out: List[str] = []
    for i in range(len(names)):
        out.append("{}: {} ({})".format(i, names[i], scores[i] * 100))
    return out


CASES = [
    ("table", (["ann", "bob"], [0.5, 0.125])),
]
