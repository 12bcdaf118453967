# Normalization, dropout in eval (training=False), padding, interpolate, one_hot, embedding.
import torch
import torch.nn.functional as F


@torch.jit.script
def misc(x: torch.Tensor, idx: torch.Tensor):
    return (F.layer_norm(x, [3]), F.normalize(x, dim=1), F.dropout(x, 0.5, training=False), F.pad(x, [1, 2]),
            F.pad(x, [1, 1], value=9.0), F.one_hot(idx, 4), F.embedding(idx, torch.arange(8.).reshape(4, 2)),
            F.interpolate(x.unsqueeze(0), scale_factor=2.0, mode="nearest"), F.batch_norm(x, torch.zeros(3), torch.ones(3)))


CASES = [
    ("misc", (torch.arange(6.).reshape(2, 3), torch.tensor([0, 3, 1]))),
]
