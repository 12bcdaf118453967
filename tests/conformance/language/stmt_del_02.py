# del of a missing key raises; del of a local variable.
import torch
from typing import Dict


@torch.jit.script
def remove(d: Dict[int, str], k: int) -> Dict[int, str]:
    tmp = k + 1
    del tmp
    del d[k]
    return d


CASES = [
    ("remove", ({1: "a", 2: "b"}, 1)),
    ("remove", ({1: "a"}, 5), "raises"),
]
