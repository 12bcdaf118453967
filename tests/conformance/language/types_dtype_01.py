# torch.dtype values: x.dtype, comparisons, conversions with .to(dtype).
# Inside TorchScript a dtype is an int (ScalarType): returning x.dtype gives 6.
import torch


@torch.jit.script
def dt(x: torch.Tensor):
    y = x.to(torch.float64)
    z = x.to(dtype=torch.int32)
    print(x.dtype, y.dtype)
    return y, z, y.dtype == torch.float64, x.dtype, x.dtype == torch.float32, x.is_floating_point()


CASES = [
    ("dt", (torch.tensor([1.5, -2.5]),)),
    ("dt", (torch.tensor([3, 4]),)),
]
