# Shape and view methods: view, reshape, permute, transpose, squeeze/unsqueeze,
# flatten, expand, contiguous, chunk, split, narrow, select.
import torch


@torch.jit.script
def shapes(x: torch.Tensor):
    return (x.view(6, 4).shape, x.reshape(-1).shape, x.permute(2, 0, 1).shape, x.transpose(0, 1).shape,
            x.unsqueeze(1).shape, x.unsqueeze(0).squeeze(0).shape, x.flatten(1).shape,
            x[:, :1].expand(2, 5, 4).shape, [c.shape for c in x.chunk(2, 2)],
            [s.shape for s in x.split(1, 1)], x.narrow(2, 1, 2), x.select(1, 2))


CASES = [
    ("shapes", (torch.arange(24).reshape(2, 3, 4),)),
]
