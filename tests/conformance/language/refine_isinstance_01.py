# isinstance on Union parameters with several branches, including containers.
import torch
from typing import Dict, List, Union


@torch.jit.script
def size_of(x: Union[int, str, List[int], Dict[str, int]]) -> int:
    if isinstance(x, int):
        return x
    elif isinstance(x, str):
        return len(x)
    elif isinstance(x, list):
        return len(x) * 10
    else:
        return len(x) * 100


CASES = [
    ("size_of", (5,)),
    ("size_of", ("abc",)),
    ("size_of", ([1, 2],)),
    ("size_of", ({"a": 1},)),
]
