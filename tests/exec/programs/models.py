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
