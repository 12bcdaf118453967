# print of tensors (PyTorch's C++ format) of several dtypes and shapes.
import torch


@torch.jit.script
def p(x: torch.Tensor) -> None:
    print(x)
    print(x.to(torch.int64))
    print(x.reshape(-1)[0])
    print(x > 1)


CASES = [
    ("p", (torch.arange(6.).reshape(2, 3) / 4,)),
    ("p", (torch.tensor([1.5, -2.25, 1000.0]),)),
    ("p", (torch.tensor([[[1.0]]]),)),
]
