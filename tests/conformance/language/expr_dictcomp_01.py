# Dict comprehensions keep the iteration order; later keys overwrite.
import torch
from typing import Dict, List


@torch.jit.script
def dcomp(words: List[str]) -> Dict[str, int]:
    return {w: len(w) for w in words}


@torch.jit.script
def squares(n: int) -> Dict[int, int]:
    return {i % 3: i * i for i in range(n)}


CASES = [
    ("dcomp", (["pear", "fig", "banana", "fig"],)),
    ("dcomp", ([],)),
    ("squares", (5,)),
]
