# torch.device values: construction, comparison, str, a tensor's device.
import torch


@torch.jit.script
def dev(x: torch.Tensor):
    d = torch.device("cpu")
    print(d, x.device)
    return x.device == d, str(d), d.type, x.to(d), x.is_cuda, x.device


CASES = [
    ("dev", (torch.arange(3),)),
]
