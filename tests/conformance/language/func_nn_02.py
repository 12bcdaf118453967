# F.linear, F.conv1d, F.conv2d with padding/stride, pooling.
import torch
import torch.nn.functional as F


@torch.jit.script
def layers(x: torch.Tensor, w: torch.Tensor, img: torch.Tensor, k: torch.Tensor):
    return (F.linear(x, w), F.linear(x, w, torch.ones(2)), F.conv2d(img, k, padding=1), F.conv2d(img, k, stride=2),
            F.max_pool2d(img, 2), F.avg_pool2d(img, 2), F.adaptive_avg_pool2d(img, 1), F.conv1d(img[:, :, 0], k[:, :, 0], padding=1))


CASES = [
    ("layers", (torch.arange(6.).reshape(2, 3) / 6, torch.arange(6.).reshape(2, 3) - 3,
                torch.arange(32.).reshape(1, 2, 4, 4) / 32, torch.arange(36.).reshape(2, 2, 3, 3) / 36 - 0.5)),
]
