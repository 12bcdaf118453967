"""Writes the archives of test_prepack.c (run with a Python that has torch
1.13): a small network whose convolutions and linear layer reach their
weights in every way a TorchScript program does -- a submodule's own
parameter (Conv2d, Conv1d, Linear), submodules inside a Sequential, a
module parameter passed to a free function that calls F.conv2d -- next to
convolutions that are not packed (1x1, depthwise).  Written scripted
(prepack.scripted.pt) and traced (prepack.traced.pt), with the input
(prepack.args.pt) and PyTorch's output of each (prepack.<kind>.out.pt)."""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def helper(x, w):
    return F.conv2d(x, w, padding=1)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.bn = nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x))) + x


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.blocks = nn.Sequential(Block(16), Block(16))
        self.w = nn.Parameter(torch.randn(16, 16, 3, 3) * 0.1)
        self.pw = nn.Conv2d(16, 16, 1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.conv1d = nn.Conv1d(16, 16, 3, padding=1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = helper(x, self.w)
        x = self.dw(self.pw(x))
        y = self.conv1d(x.mean(3))
        return self.fc(y.mean(2))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    net = Net().eval()
    x = torch.randn(1, 3, 20, 20)
    torch.save((x,), os.path.join(here, "prepack.args.pt"))
    for kind, m in (("scripted", torch.jit.script(net)), ("traced", torch.jit.trace(net, (x,)))):
        path = os.path.join(here, "prepack.%s.pt" % kind)
        m.save(path)
        torch.save(torch.jit.load(path)(x), os.path.join(here, "prepack.%s.out.pt" % kind))
