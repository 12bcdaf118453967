# Strings in containers: lists of str, dict keyed by str, `in` on strings.
import torch
from typing import Dict, List


@torch.jit.script
def words(text: str) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for w in text.split(" "):
        if w in counts:
            counts[w] += 1
        else:
            counts[w] = 1
    return counts


@torch.jit.script
def has(s: str, sub: str):
    return sub in s, sub not in s, s.find(sub), s.count(sub)


CASES = [
    ("words", ("b a b c a b",)),
    ("words", ("single",)),
    ("has", ("banana", "an")),
    ("has", ("banana", "x")),
]
