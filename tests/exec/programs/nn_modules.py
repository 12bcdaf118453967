# Every torch.nn module of the cts exec library, built with PyTorch's default
# initialization from one seed, run in training and eval mode, and printed.
import torch
import torch.nn as nn

torch.manual_seed(0)

x2 = torch.randn(4, 6)
x3 = torch.randn(2, 5, 6)
img = torch.randn(2, 3, 9, 9)
seq = torch.randn(7, 2, 6)

cases = [
    ("Linear", nn.Linear(6, 3), (x2,)),
    ("Linear_nobias", nn.Linear(6, 3, bias=False), (x3,)),
    ("Bilinear", nn.Bilinear(6, 6, 2), (x2, x2)),
    ("Identity", nn.Identity(), (x2,)),
    ("Conv1d", nn.Conv1d(5, 4, 3, stride=2, padding=1), (x3,)),
    ("Conv2d", nn.Conv2d(3, 8, 3, padding=1), (img,)),
    ("Conv2d_groups", nn.Conv2d(3, 6, 3, stride=2, groups=3, bias=False), (img,)),
    ("ConvTranspose2d", nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), (img,)),
    ("BatchNorm1d", nn.BatchNorm1d(6), (x2,)),
    ("BatchNorm2d", nn.BatchNorm2d(3), (img,)),
    ("LayerNorm", nn.LayerNorm(6), (x3,)),
    ("GroupNorm", nn.GroupNorm(1, 3), (img,)),
    ("Embedding", nn.Embedding(10, 4), (torch.tensor([[1, 2, 3], [4, 5, 9]]),)),
    ("ReLU", nn.ReLU(), (x2,)),
    ("GELU", nn.GELU(), (x2,)),
    ("SiLU", nn.SiLU(), (x2,)),
    ("Tanh", nn.Tanh(), (x2,)),
    ("Sigmoid", nn.Sigmoid(), (x2,)),
    ("Softmax", nn.Softmax(dim=1), (x2,)),
    ("Dropout", nn.Dropout(0.5), (x2,)),
    ("MaxPool2d", nn.MaxPool2d(3, stride=2, padding=1), (img,)),
    ("AvgPool2d", nn.AvgPool2d(2), (img,)),
    ("AdaptiveAvgPool2d", nn.AdaptiveAvgPool2d((1, 1)), (img,)),
    ("Flatten", nn.Flatten(), (img,)),
    ("Sequential", nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2)), (x2,)),
    ("RNN", nn.RNN(6, 5), (seq,)),
    ("LSTM", nn.LSTM(6, 5, num_layers=2), (seq,)),
    ("GRU", nn.GRU(6, 5, batch_first=True), (x3,)),
    ("MultiheadAttention", nn.MultiheadAttention(6, 2), (seq, seq, seq)),
    ("TransformerEncoderLayer", nn.TransformerEncoderLayer(6, 2, dim_feedforward=12, dropout=0.0), (seq,)),
    ("TransformerEncoder", nn.TransformerEncoder(nn.TransformerEncoderLayer(6, 2, 12, 0.0), 2), (seq,)),
]

for name, m, args in cases:
    print(name)
    print(m)
    for mode in (True, False):
        m.train(mode)
        out = m(*args)
        if isinstance(out, tuple):
            out = out[0]
        print(mode, out.shape, "{:.3f}".format(float(out.abs().sum())))
    for n, p in m.named_parameters():
        print("  ", n, tuple(p.shape), "{:.3f}".format(float(p.abs().sum())))
    for n, b in m.named_buffers():
        print("  ", n, tuple(b.shape), "{:.3f}".format(float(b.abs().sum())))

ml = nn.ModuleList([nn.Linear(6, 6) for _ in range(3)])
y = x2
for layer in ml:
    y = layer(y)
print(len(ml), ml[1], "{:.3f}".format(float(y.abs().sum())))
md = nn.ModuleDict({"a": nn.Linear(6, 2), "b": nn.ReLU()})
print(md)
print("{:.3f}".format(float(md["b"](md["a"](x2)).abs().sum())))
