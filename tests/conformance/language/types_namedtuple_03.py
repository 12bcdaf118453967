# NamedTuple with keyword construction and a list of NamedTuples.
import torch
from typing import List, NamedTuple


class Item(NamedTuple):
    name: str
    qty: int


@torch.jit.script
def total(names: List[str]) -> int:
    items: List[Item] = []
    for i, n in enumerate(names):
        items.append(Item(name=n, qty=i + 1))
    t = 0
    for it in items:
        if it.name != "skip":
            t += it.qty * len(it.name)
    return t


CASES = [
    ("total", (["ab", "skip", "cde"],)),
    ("total", ([],)),
]
