# F.* pooling by boolean_dispatch (max_pool2d with and without
# return_indices: _max_pool2d or max_pool2d_with_indices), BroadcastingList
# arguments (an int for a list), interpolate's overloads (size or scale as
# a number or a list), and losses with legacy size_average/reduce.
import torch
import torch.nn.functional as F


@torch.jit.script
def pools(img: torch.Tensor):
    v, i = F.max_pool2d(img, 2, return_indices=True)
    a, b = F.adaptive_max_pool2d(img, [2, 2], True)
    return (F.max_pool1d(img[0], 2), F.max_pool2d(img, (2, 2), 1, 0, 1, False, False), v, i, a, b,
            F.adaptive_max_pool1d(img[0], 2), F.adaptive_max_pool2d(img, 2), F.adaptive_avg_pool2d(img, (2, 3)),
            F.interpolate(img, size=[6, 6], mode="bilinear"), F.interpolate(img, scale_factor=[2.0, 1.5]),
            F.interpolate(img, scale_factor=0.5, mode="area"))


@torch.jit.script
def losses(x: torch.Tensor, y: torch.Tensor, t: torch.Tensor):
    return (F.l1_loss(x, y, reduction="none"), F.mse_loss(x, y, reduce=False), F.mse_loss(x, y, size_average=False),
            F.smooth_l1_loss(x, y, beta=0.5), F.huber_loss(x, y, delta=0.5), F.cross_entropy(x, t, label_smoothing=0.1),
            F.nll_loss(x, t, ignore_index=1))


CASES = [
    ("pools", (torch.arange(2 * 3 * 4 * 4.).reshape(2, 3, 4, 4) / 7,)),
    ("losses", (torch.tensor([[0.5, -1.0, 2.0], [1., 2., -3.]]), torch.tensor([[0.0, 0.0, 1.0], [1., 1., 0.]]),
                torch.tensor([2, 0]))),
]
