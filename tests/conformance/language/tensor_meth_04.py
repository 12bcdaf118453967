# Matrix methods: matmul, mm, t, @ operator, bmm, dot, outer.
import torch


@torch.jit.script
def mat(a: torch.Tensor, b: torch.Tensor):
    return a.matmul(b), a.mm(b), a @ b, b.t(), torch.bmm(a.unsqueeze(0), b.unsqueeze(0)), a[0].dot(b[:, 0]), torch.outer(a[0], b[0])


CASES = [
    ("mat", (torch.arange(6.).reshape(2, 3), torch.arange(6.).reshape(3, 2) - 2)),
]
