# int(), float(), bool(), str() between scalar types and from tensors.
import torch


@torch.jit.script
def conv(x: torch.Tensor, f: float, s: str):
    return int(x), float(x), bool(x), int(f), float(s), str(int(f)), int("-12"), bool(0.0)


CASES = [
    ("conv", (torch.tensor(3.75), -2.5, "1e-3")),
    ("conv", (torch.tensor([-1]), 0.0, "inf")),
]
