# complex scalars (TorchScript 1.13 has `complex`): arithmetic, abs, str
# (1.13 has no .real/.imag on a complex scalar).
import torch


@torch.jit.script
def cplx(a: float, b: float):
    z = complex(a, b)
    w = z * z + 1
    return w, abs(z), str(z), w == complex(a * a - b * b + 1, 2 * a * b)


CASES = [
    ("cplx", (1.0, 2.0)),
    ("cplx", (0.5, -0.5)),
]
