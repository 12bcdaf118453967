# complex tensors: construction from real parts, abs, real and imag
# (cloned: torch.save refuses views of one storage with different dtypes).
import torch


@torch.jit.script
def ctensor(re: torch.Tensor, im: torch.Tensor):
    z = torch.complex(re, im)
    return z * 2, z.abs(), z.real.clone(), z.imag.clone(), z.dtype == torch.complex64


CASES = [
    ("ctensor", (torch.tensor([3.0, 0.0, -1.0]), torch.tensor([4.0, 2.0, 0.0]))),
]
