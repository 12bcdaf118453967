# str * int (string repetition) is not in TorchScript.
import torch


@torch.jit.script
def f(s: str, n: int) -> str:
    t = s + "!"
    return t * n
