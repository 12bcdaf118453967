# dtype as a parameter; factories with dtype=; dtype chosen at run time.
import torch


@torch.jit.script
def make(n: int, dtype: torch.dtype) -> torch.Tensor:
    return torch.arange(n, dtype=dtype) / 2


@torch.jit.script
def choose(x: torch.Tensor, wide: bool) -> torch.Tensor:
    dt = torch.float64 if wide else torch.float16
    return x.to(dt)


CASES = [
    ("make", (4, torch.float32)),
    ("make", (3, torch.float64)),
    ("choose", (torch.tensor([1.0, 1.0009765625]), True)),
    ("choose", (torch.tensor([1.0, 1.0009765625]), False)),
]
