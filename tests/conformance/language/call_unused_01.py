# @torch.jit.unused functions are replaced by a raise: fine while not called.
import torch


@torch.jit.unused
def debug_dump(x: torch.Tensor) -> torch.Tensor:
    import numpy
    return x


@torch.jit.script
def f(x: torch.Tensor, debug: bool) -> torch.Tensor:
    if debug:
        return debug_dump(x)
    return x + 1


CASES = [
    ("f", (torch.ones(2), False)),
    ("f", (torch.ones(2), True), "raises"),
]
