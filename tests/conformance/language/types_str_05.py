# str() of values of every type, as TorchScript prints them.
import torch
from typing import List, Dict, Optional, Tuple


@torch.jit.script
def show(i: int, f: float, b: bool, xs: List[int], fs: List[float], d: Dict[str, float], o: Optional[int], t: Tuple[int, str]):
    return [str(i), str(f), str(b), str(xs), str(fs), str(d), str(o), str(t), str("s")]


CASES = [
    ("show", (-5, 2.5, True, [1, -2], [0.5, 1.0, 1e-10], {"a": 1.0, "b": 2.5}, None, (1, "x"))),
    ("show", (0, 100.0, False, [], [], {}, 7, (0, ""))),
]
