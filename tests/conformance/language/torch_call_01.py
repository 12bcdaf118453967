# Factory functions: zeros, ones, full, arange, linspace, eye, empty-free, *_like, tensor.
import torch


@torch.jit.script
def make(n: int):
    return (torch.zeros(n, 2), torch.ones([2, n], dtype=torch.int64), torch.full((2,), 3.5),
            torch.arange(n), torch.arange(1, n + 1, 2), torch.arange(0.0, 1.0, 0.25), torch.linspace(0.0, 1.0, 5),
            torch.eye(n), torch.zeros_like(torch.ones(3)), torch.ones_like(torch.zeros(2), dtype=torch.bool),
            torch.tensor([1.5, 2.5]), torch.tensor(7), torch.tensor([[1, 2], [3, 4]]), torch.full_like(torch.zeros(2), 9))


CASES = [
    ("make", (3,)),
    ("make", (0,)),
]
