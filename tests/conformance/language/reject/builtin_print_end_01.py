# print() takes no keyword arguments in TorchScript (end=, sep=).
import torch


@torch.jit.script
def f(x: int) -> None:
    print(x)
    print(x, end="")
