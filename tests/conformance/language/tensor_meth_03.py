# Indexing methods: index_select, gather, masked_fill, nonzero, topk, sort, argsort, cumsum.
import torch


@torch.jit.script
def idx(x: torch.Tensor):
    vals, inds = x.topk(2)
    s, si = x.sort(descending=True)
    return (x.index_select(0, torch.tensor([2, 0])), x.gather(0, torch.tensor([1, 1, 0])),
            x.masked_fill(x < 2, -1.0), (x > 1).nonzero(), vals, inds, s, si, x.argsort(), x.cumsum(0))


CASES = [
    ("idx", (torch.tensor([3.0, 1.0, 2.0]),)),
]
