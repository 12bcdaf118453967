# torchvision models built by cts exec's library: same weights as PyTorch's
# for the same seed, the same outputs, traced modules that compute the same.
import torch
import torchvision

torch.manual_seed(0)
x = torch.rand(1, 3, 64, 64)
for name in ("resnet18", "mobilenet_v2"):
    m = getattr(torchvision.models, name)()
    m.eval()
    y = m(x)
    print(name, y.shape, "{:.3f}".format(float(y.abs().sum())))
    print(sum(p.numel() for p in m.parameters()))
    t = torch.jit.trace(m, x)
    print(t)
    print("{:.3f}".format(float(t(x).abs().sum())))

# scripted: the containers (Sequential) are iterated as PyTorch unrolls them
torch.manual_seed(1)
m = torchvision.models.resnet18().eval()
s = torch.jit.script(m)
print(s.code)
print(s.layer1.code)
print(bool((s(x) - m(x)).abs().max() < 1e-4))
mb = torch.jit.script(torchvision.models.mobilenet_v2().eval())
print(mb.features.code)


class Stack(torch.nn.Module):
    def __init__(self):
        super(Stack, self).__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(3)])
        self.heads = torch.nn.ModuleDict({"a": torch.nn.Linear(4, 2), "b": torch.nn.Linear(4, 3)})

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        outs = []
        for name, head in self.heads.items():
            outs.append(head(x).sum())
        for name in self.heads.keys():
            outs.append(torch.tensor(len(name)))
        for head in self.heads.values():
            outs.append(head(x).mean())
        return self.layers[-1](x) + len(self.layers), self.heads["b"](x), outs


st = torch.jit.script(Stack())
print(st.code)
print(st(torch.ones(2, 4))[1].shape)
print(len(st(torch.ones(2, 4))[2]))
