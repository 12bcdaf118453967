# to(...) with dtype, device, other tensor; type conversions .float() .long() .int() .double() (1.13 has no
# Tensor.bool() in TorchScript: see reject/tensor_bool_method_01.py).
import torch


@torch.jit.script
def conv(x: torch.Tensor, like: torch.Tensor):
    return (x.to(torch.int32), x.to("cpu"), x.to(like), x.float(), x.long(), x.int(), x.double(),
            x.to(torch.bool), x.to(torch.device("cpu"), torch.float64), x.type_as(like))


CASES = [
    ("conv", (torch.tensor([1.7, -2.5, 0.0]), torch.zeros(1, dtype=torch.float64))),
]
