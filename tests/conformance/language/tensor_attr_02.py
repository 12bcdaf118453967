# dtype, device, requires_grad, is_floating_point, element_size, is_contiguous, layout-free queries.
import torch


@torch.jit.script
def info(x: torch.Tensor):
    return (x.dtype == torch.int64, x.device == torch.device("cpu"), x.requires_grad,
            x.is_floating_point(), x.element_size(), x.is_contiguous(), x.t().is_contiguous(), x.stride())


CASES = [
    ("info", (torch.zeros(2, 3, dtype=torch.int64),)),
    ("info", (torch.zeros(3, 2, dtype=torch.float16),)),
]
