# len of lists, strings, dicts, tuples and tensors (first dimension).
import torch
from typing import Dict, List, Tuple


@torch.jit.script
def lens(xs: List[int], s: str, d: Dict[int, int], t: Tuple[int, int, int], x: torch.Tensor):
    return len(xs), len(s), len(d), len(t), len(x), len([]), len("")


CASES = [
    ("lens", ([1, 2], "abc", {1: 2}, (1, 2, 3), torch.zeros(4, 2))),
    ("lens", ([], "", {}, (0, 0, 0), torch.zeros(0))),
]
