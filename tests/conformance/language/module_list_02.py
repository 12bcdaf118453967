# enumerate over an nn.ModuleList and nn.Sequential in a scripted module.
import torch


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(3)])
        self.head = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(3, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            if i % 2 == 0:
                x = layer(x)
            else:
                x = x - layer(x)
        return self.head(x)


MODULE_CASES = [
    (Net(), "forward", (torch.arange(6.).reshape(2, 3) / 6,)),
]
