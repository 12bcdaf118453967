# print of containers: lists, nested lists, dicts, tuples, Optional values.
import torch
from typing import Dict, List, Optional, Tuple


@torch.jit.script
def p(xs: List[int], fs: List[float], d: Dict[str, List[int]], t: Tuple[int, str, float], o: Optional[int]) -> None:
    print(xs)
    print(fs)
    print([xs, xs])
    print(d)
    print(t)
    print(o)
    print([True, False])
    print(["a", "b"])


CASES = [
    ("p", ([1, 2], [0.5, 2.0, 1e10], {"k": [1]}, (1, "s", 2.0), None)),
    ("p", ([], [], {}, (0, "", -0.5), 3)),
]
