"""Writes tests/runtime/param_view.pt for test_file_views.c (run with a
Python that has torch 1.13): a module whose forward returns its parameter
itself (an alias, not a copy) and the parameter plus x.  cts loads a stored
tensor record as a view into the archive's bytes, so the returned tensor
must keep those bytes alive after the module is freed."""
import os

import torch


class ParamView(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.arange(48, dtype=torch.float32).reshape(6, 8) / 4.0)

    def forward(self, x):
        return self.w, self.w + x


if __name__ == "__main__":
    m = torch.jit.script(ParamView().eval())
    m.save(os.path.join(os.path.dirname(os.path.abspath(__file__)), "param_view.pt"))
