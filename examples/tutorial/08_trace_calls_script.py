# TorchScript reference: traced code calling scripted code.
import torch

torch.manual_seed(0)


@torch.jit.script
def foo(x, y):
    if x.max() > y.max():
        r = x
    else:
        r = y
    return r


def bar(x, y, z):
    return foo(x, y) + z


traced_bar = torch.jit.trace(bar, (torch.rand(3), torch.rand(3), torch.rand(3)))
print(traced_bar.graph)
print(traced_bar.code)
print(traced_bar(torch.ones(3), torch.zeros(3), torch.ones(3)))
