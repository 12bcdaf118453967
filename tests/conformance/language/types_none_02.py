# None in containers and tuples; Optional results compared with None.
import torch
from typing import List, Optional, Tuple


@torch.jit.script
def f(xs: List[Optional[str]]) -> Tuple[int, List[bool], Optional[str]]:
    n = 0
    flags: List[bool] = []
    last: Optional[str] = None
    for x in xs:
        flags.append(x is None)
        if x is not None:
            n += len(x)
            last = x
    return n, flags, last


CASES = [
    ("f", (["ab", None, "c", None],)),
    ("f", ([None],)),
]
