# Device as a parameter and in factory calls.
import torch


@torch.jit.script
def make(n: int, device: torch.device) -> torch.Tensor:
    return torch.zeros(n, device=device) + torch.ones(n, device=device)


@torch.jit.script
def same_device(x: torch.Tensor) -> torch.Tensor:
    return torch.arange(3, device=x.device).to(x.dtype)


CASES = [
    ("make", (3, torch.device("cpu"))),
    ("same_device", (torch.zeros(2, dtype=torch.float64),)),
]
