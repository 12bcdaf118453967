# Short-circuit guards an index that would fail; results are bools (not the
# operand value as in Python).
import torch
from typing import List


@torch.jit.script
def safe_first_positive(xs: List[int]) -> bool:
    return len(xs) > 0 and xs[0] > 0


@torch.jit.script
def any_neg(xs: List[int]) -> bool:
    return len(xs) == 0 or xs[-1] < 0 or xs[0] < 0


CASES = [
    ("safe_first_positive", ([],)),
    ("safe_first_positive", ([3],)),
    ("safe_first_positive", ([-3],)),
    ("any_neg", ([],)),
    ("any_neg", ([-1, 2],)),
    ("any_neg", ([1, 2],)),
]
