# A Union-typed result: the caller refines it.
import torch
from typing import List, Union


@torch.jit.script
def pick(flag: bool) -> Union[int, List[int]]:
    if flag:
        return 3
    return [1, 2]


@torch.jit.script
def use(flag: bool) -> int:
    v = pick(flag)
    if isinstance(v, int):
        return v
    return len(v) * 100


CASES = [
    ("use", (True,)),
    ("use", (False,)),
    ("pick", (False,)),
]
