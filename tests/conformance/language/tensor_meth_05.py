# Integer and bool tensor methods: bitwise ops, floor_divide, remainder, logical_and, any/all.
import torch


@torch.jit.script
def ints(x: torch.Tensor, y: torch.Tensor):
    return (x & y, x | y, x ^ y, ~x, x << 1, x >> 1, torch.floor_divide(x, 3), x.remainder(3),
            torch.logical_and(x > 0, y > 0), (x > 100).any(), (x > -100).all())


CASES = [
    ("ints", (torch.tensor([5, -6, 7]), torch.tensor([3, 3, -1]))),
]
