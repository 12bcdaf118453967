# Optional values stored in lists and dicts; refinement of an element.
import torch
from typing import Dict, List, Optional


@torch.jit.script
def count_some(xs: List[Optional[int]]) -> int:
    n = 0
    for x in xs:
        if x is not None:
            n += x
    return n


@torch.jit.script
def lookup(d: Dict[str, Optional[str]], k: str) -> str:
    v = d.get(k)
    if v is None:
        return "missing"
    return v


CASES = [
    ("count_some", ([1, None, 3, None],)),
    ("count_some", ([],)),
    ("lookup", ({"a": "x", "b": None}, "a")),
    ("lookup", ({"a": "x", "b": None}, "b")),
    ("lookup", ({"a": "x", "b": None}, "c")),
]
