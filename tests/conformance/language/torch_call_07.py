# Operator aliases and the torch.special / torch.linalg namespaces: PyTorch's
# NormalizeOps rewrites aliases to their canonical operator (clip -> clamp,
# special.expit -> sigmoid, rsub(a, b) -> sub(b, a), `b is True` -> eq).
import torch


@torch.jit.script
def aliases(x: torch.Tensor, y: torch.Tensor, b: bool):
    return (torch.clip(x, -0.5, 0.5), torch.concat([x, y]), torch.special.expit(x), torch.linalg.matmul(x, y.t()),
            torch.rsub(x, y, alpha=2), torch.subtract(x, y), torch.multiply(x, y), torch.divide(x, y),
            torch.greater(x, y), torch.less_equal(x, y), torch.negative(x), torch.swapaxes(x, 0, 1),
            torch.absolute(x), torch.arctan2(x, y), b is True, b is not False, x.clip(max=0.0))


CASES = [
    ("aliases", (torch.tensor([[0.25, -1.0, 2.0], [1.5, 0.0, -0.75]]), torch.tensor([[1.0, 2.0, -3.0], [0.5, 4.0, 1.0]]), True)),
    ("aliases", (torch.tensor([[3.0]]), torch.tensor([[-2.0]]), False)),
]
