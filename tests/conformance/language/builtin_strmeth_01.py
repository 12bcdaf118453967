# String case and predicate methods.
import torch


@torch.jit.script
def s(x: str):
    return (x.upper(), x.lower(), x.capitalize(), x.title(), x.swapcase(), x.isalpha(),
            x.isdigit(), x.isspace(), x.isupper(), x.islower(), x.isalnum(), x.istitle())


CASES = [
    ("s", ("hello World",)),
    ("s", ("123",)),
    ("s", ("",)),
    ("s", ("  ",)),
]
