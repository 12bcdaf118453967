# The graphs and code torch.jit.trace records for modules built from the
# library, as PyTorch's tracer names and places them.
import torch
import torchvision


class Lin(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(4, 4))

    def forward(self, inp):
        return torch.mm(inp, self.w)


class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = Lin()

    def forward(self, x):
        return self._impl(x)

    def _impl(self, x):
        a = torch.relu(x)
        b = torch.sigmoid(a)
        c = torch.tanh(b)
        d = self.fc(c)
        e = torch.neg(d)
        return e


t = torch.jit.trace(M(), torch.rand(2, 4))
print(t.graph)
print(t.fc.graph)
print(t.code)

torch.manual_seed(0)
x = torch.rand(1, 3, 64, 64)
for name in ("resnet18", "mobilenet_v2"):
    m = getattr(torchvision.models, name)().eval()
    t = torch.jit.trace(m, x)
    print(t.code)
    if name == "resnet18":
        print(t.layer1.code)
        print(getattr(t.layer1, "0").code)
        print(t.fc.code)
        print(t.bn1.code)
    else:
        print(t.features.code)
        print(getattr(t.features, "1").code)
