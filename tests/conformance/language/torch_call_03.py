# Math functions on tensors with keyword arguments and out-of-place results.
import torch


@torch.jit.script
def m(x: torch.Tensor):
    return (torch.add(x, x, alpha=2), torch.sub(x, 1, alpha=3), torch.mul(x, 2), torch.div(x, 2, rounding_mode="floor"),
            torch.div(x, 2, rounding_mode="trunc"), torch.pow(x, 2), torch.exp(x), torch.log(x.abs() + 1),
            torch.clamp(x, max=1.0), torch.maximum(x, torch.zeros_like(x)), torch.sqrt(x.abs()), torch.tanh(x),
            torch.lerp(x, torch.ones_like(x), 0.5), torch.atan2(x, torch.ones_like(x)))


CASES = [
    ("m", (torch.tensor([-3.0, -0.5, 0.0, 2.5]),)),
]
