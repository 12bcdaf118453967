# print of a list of tensors, a dict with tensor values, a device and a dtype.
import torch
from typing import Dict, List


@torch.jit.script
def p(xs: List[torch.Tensor], d: Dict[str, torch.Tensor]) -> None:
    print(xs)
    print(d)
    print(torch.device("cpu"), torch.float32, xs[0].dtype)


CASES = [
    ("p", ([torch.tensor([1, 2]), torch.tensor(0.5)], {"w": torch.ones(2, 2)})),
]
