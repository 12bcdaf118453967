# Float division by zero gives inf (Python raises ZeroDivisionError), and
# tensors give inf/nan.
import torch


@torch.jit.script
def fdiv(a: float, b: float) -> float:
    return a / b


@torch.jit.script
def tdiv(x: torch.Tensor) -> torch.Tensor:
    return x / 0.0


CASES = [
    ("fdiv", (1.0, 4.0)),
    ("fdiv", (1.0, 0.0)),
    ("fdiv", (-1.0, 0.0)),
    ("fdiv", (0.0, 0.0)),
    ("tdiv", (torch.tensor([1.0, -1.0, 0.0]),)),
]
