# TorchScript reference: tracing a function; scripted code calling traced code.
import torch

torch.manual_seed(0)


def foo(x, y):
    return 2 * x + y


traced_foo = torch.jit.trace(foo, (torch.rand(3), torch.rand(3)))
print(traced_foo.graph)
print(traced_foo.code)


@torch.jit.script
def bar(x):
    return traced_foo(x, x)


print(bar.graph)
print(bar.code)
print(bar(torch.ones(3)))
