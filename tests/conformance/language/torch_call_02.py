# Joining and splitting: cat, stack, split, chunk, unbind, flip, roll, repeat, tril/triu.
import torch


@torch.jit.script
def join(a: torch.Tensor, b: torch.Tensor):
    return (torch.cat([a, b]), torch.cat([a, b], dim=1), torch.stack([a, b], 1), torch.unbind(a, 1),
            torch.flip(a, [0]), torch.roll(a, 1, 1), a.repeat(1, 2), torch.tril(torch.ones(3, 3)), torch.triu(a))


CASES = [
    ("join", (torch.arange(6).reshape(2, 3), torch.arange(6, 12).reshape(2, 3))),
]
