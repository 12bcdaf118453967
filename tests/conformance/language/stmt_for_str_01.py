# for over a string yields one-character strings.
import torch
from typing import List


@torch.jit.script
def chars(s: str) -> List[str]:
    out: List[str] = []
    for c in s:
        out.append(c + c)
    return out


@torch.jit.script
def vowels(s: str) -> int:
    n = 0
    for c in s.lower():
        if c in "aeiou":
            n += 1
    return n


CASES = [
    ("chars", ("abc",)),
    ("chars", ("",)),
    ("vowels", ("TorchScript Language",)),
]
