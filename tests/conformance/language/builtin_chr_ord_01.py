# chr and ord on ASCII. (chr(233) in 1.13 makes the single byte 0xE9, not
# UTF-8 "é": such a string cannot even be returned to Python.)
import torch
from typing import List


@torch.jit.script
def codes(s: str) -> List[int]:
    return [ord(c) for c in s]


@torch.jit.script
def shift(s: str, k: int) -> str:
    out = ""
    for c in s:
        out += chr(ord(c) + k)
    return out


CASES = [
    ("codes", ("AZaz09",)),
    ("shift", ("HAL", 1)),
]
