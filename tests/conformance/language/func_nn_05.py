# More Python-defined F.* functions (compiled from TorchScript source, called
# through prim::CallFunction): activations, softmin/softmax with dtype,
# normalize, group/batch/instance norm, dropout variants in eval, embedding
# with max_norm (TorchScript 1.13 does not renormalize).
import torch
import torch.nn.functional as F


@torch.jit.script
def acts(x: torch.Tensor):
    return (F.relu(x.clone(), inplace=True), F.hardtanh(x, -0.5, 0.5), F.elu(x, 0.5), F.leaky_relu(x, negative_slope=0.2),
            F.hardswish(x), F.hardsigmoid(x), F.softsign(x), F.tanhshrink(x), F.softmin(x, 1),
            F.log_softmax(x, 0, dtype=torch.float64), F.sigmoid(x), F.tanh(x))


@torch.jit.script
def norms(x: torch.Tensor, w: torch.Tensor):
    return (F.normalize(x, 1.0, 0), F.layer_norm(x, [4], w, w, eps=1e-3), F.group_norm(x.reshape(1, 4, 3), 2),
            F.batch_norm(x, None, None, training=True), F.instance_norm(x.unsqueeze(0)), F.dropout2d(x, training=False),
            F.alpha_dropout(x), F.feature_alpha_dropout(x, 0.2), F.embedding(torch.tensor([1, 0]), x.clone(), max_norm=1.0))


CASES = [
    ("acts", (torch.linspace(-3, 3, 12).reshape(3, 4),)),
    ("norms", (torch.linspace(-3, 3, 12).reshape(3, 4), torch.linspace(0.5, 2, 4))),
]
