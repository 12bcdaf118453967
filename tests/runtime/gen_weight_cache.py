"""Writes tests/runtime/weight_cache.pt for test_weight_cache.c (run with a
Python that has torch 1.13): a module that uses its linear weight, writes it
in place (mul_ by 2), uses it again and restores it (div_ by 2).  Scaling by
2 is exact, so forward(x) returns (y, z) with z == 2 * y bit for bit unless
a stale packing of the weight were reused."""
import os

import torch


class WrittenWeight(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(64, 32))

    def forward(self, x):
        y = torch.nn.functional.linear(x, self.w)
        self.w.mul_(2.0)
        z = torch.nn.functional.linear(x, self.w)
        self.w.div_(2.0)
        return y, z


if __name__ == "__main__":
    torch.manual_seed(0)
    m = torch.jit.script(WrittenWeight().eval())
    m.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "weight_cache.pt"))
