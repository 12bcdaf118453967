# Iterating a string builds it back; iterating the words of a split string.
import torch
from typing import List


@torch.jit.script
def rev_words(s: str) -> str:
    out: List[str] = []
    for w in s.split():
        r = ""
        for c in w:
            r = c + r
        out.append(r)
    return " ".join(out)


CASES = [
    ("rev_words", ("hello big world",)),
    ("rev_words", ("  spaced   out  ",)),
]
