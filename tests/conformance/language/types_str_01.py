# String escapes survive compilation, printing and results.
import torch


@torch.jit.script
def escapes() -> str:
    s = "tab\there\nnewline \"quoted\" 'single' back\\slash \x41\u00e9"
    print(s)
    print('single-quoted with "double"')
    return s + "|" + r"raw\n"


CASES = [
    ("escapes", ()),
]
