# Linear algebra and matrix calls: matmul broadcasting, einsum, addmm, inverse-free solve via mm.
import torch


@torch.jit.script
def la(a: torch.Tensor, b: torch.Tensor):
    return (torch.matmul(a, b), torch.einsum("ij,jk->ik", a, b), torch.addmm(torch.ones(2, 2), a, b, beta=0.5, alpha=2.0),
            torch.matmul(a.unsqueeze(0).expand(3, 2, 3), b).shape, torch.diag(torch.mm(a, b)), torch.trace(torch.mm(a, b)))


CASES = [
    ("la", (torch.arange(6.).reshape(2, 3), torch.arange(6.).reshape(3, 2) / 2)),
]
