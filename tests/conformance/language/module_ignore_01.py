# @torch.jit.ignore and @torch.jit.unused methods in a module: the scripted
# code keeps a call that is never reached; the archive saves without it.
import torch


class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.debug = False

    @torch.jit.unused
    def dump(self, x: torch.Tensor) -> torch.Tensor:
        import numpy
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.debug:
            return self.dump(x)
        return x + 10


MODULE_CASES = [
    (M(), "forward", (torch.zeros(2),)),
]
