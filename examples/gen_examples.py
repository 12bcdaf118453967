#!/usr/bin/python3
"""Write the small example archive that `make run` feeds to `cts run`.

    /usr/bin/python3 examples/gen_examples.py [OUTDIR]     # default: examples/

writes
    mycell.pt        MyCell of the PyTorch "Introduction to TorchScript"
                     tutorial (Linear(4, 4), then tanh(linear(x) + h),
                     returning (new_h, new_h)), scripted and saved by
                     torch.jit.save (a few KB)
    mycell_args.pt   torch.save of its arguments (x, h), two (3, 4) tensors

Then:  build/cts run examples/mycell.pt --args examples/mycell_args.pt
The files are committed; rerun this only to change them (seeded, so a rerun
with the same PyTorch gives the same weights and inputs).
"""
import os
import sys

import torch


class MyCell(torch.nn.Module):
    def __init__(self):
        super(MyCell, self).__init__()
        self.linear = torch.nn.Linear(4, 4)

    def forward(self, x, h):
        new_h = torch.tanh(self.linear(x) + h)
        return new_h, new_h


def main(argv):
    outdir = argv[0] if argv else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    my_cell = MyCell()
    x, h = torch.rand(3, 4), torch.rand(3, 4)
    scripted = torch.jit.script(my_cell)
    model, args = os.path.join(outdir, "mycell.pt"), os.path.join(outdir, "mycell_args.pt")
    torch.jit.save(scripted, model)
    torch.save((x, h), args)
    with torch.no_grad():
        out = torch.jit.load(model)(x, h)
    print("wrote %s (%d bytes) and %s (%d bytes)" % (model, os.path.getsize(model), args, os.path.getsize(args)))
    print("PyTorch's result:")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
