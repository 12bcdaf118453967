# Loss functions: mse_loss, l1_loss, cross_entropy, nll_loss, binary_cross_entropy, smooth_l1_loss.
import torch
import torch.nn.functional as F


@torch.jit.script
def losses(x: torch.Tensor, y: torch.Tensor, logits: torch.Tensor, target: torch.Tensor):
    p = torch.sigmoid(x)
    return (F.mse_loss(x, y), F.l1_loss(x, y, reduction="sum"), F.cross_entropy(logits, target),
            F.nll_loss(F.log_softmax(logits, 1), target, reduction="none"), F.binary_cross_entropy(p, torch.ones_like(p) * 0.5),
            F.smooth_l1_loss(x, y))


CASES = [
    ("losses", (torch.tensor([0.5, -1.0, 2.0]), torch.tensor([0.0, 0.0, 1.0]),
                torch.arange(6.).reshape(2, 3) / 3, torch.tensor([2, 0]))),
]
