# Reductions and comparisons through torch.*: sum with dtype, mean, allclose, equal, isnan, nan_to_num, argmax.
import torch


@torch.jit.script
def r(x: torch.Tensor, y: torch.Tensor):
    return (torch.sum(x, dtype=torch.float64), torch.mean(x, 0, True), torch.allclose(x, y), torch.equal(x, x),
            torch.isnan(y), torch.nan_to_num(y, nan=0.0, posinf=1.0), torch.argmax(x, 1), torch.count_nonzero(x),
            torch.isclose(x, y), torch.eq(x, y).all().item())


CASES = [
    ("r", (torch.tensor([[1.0, 2.0], [3.0, 0.0]]), torch.tensor([[1.0, float("nan")], [float("inf"), 0.0]]))),
]
