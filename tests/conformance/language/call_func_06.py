# Calling a script function from Python with keyword-compatible positional
# arguments; a function that takes and returns containers of tensors.
import torch
from typing import Dict, List


@torch.jit.script
def normalize_all(ts: List[torch.Tensor]) -> Dict[str, torch.Tensor]:
    out: Dict[str, torch.Tensor] = {}
    for i, t in enumerate(ts):
        out["t" + str(i)] = (t - t.mean()) / (t.std() + 1e-6)
    return out


CASES = [
    ("normalize_all", ([torch.tensor([1.0, 2.0, 3.0]), torch.tensor([10.0, 10.0, 40.0])],)),
]
