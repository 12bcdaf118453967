# Python 2 style `# type:` comments give parameter and result types.
import torch
from typing import List, Tuple


@torch.jit.script
def f(x, n, names):
    # type: (Tensor, int, List[str]) -> Tuple[Tensor, str]
    return x * n, ",".join(names)


CASES = [
    ("f", (torch.arange(3.), 2, ["a", "b"])),
    ("f", (torch.ones(1), -1, [])),
]
