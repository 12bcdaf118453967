# Enum members as dict keys are not allowed, but their values are; Enum in a list.
import torch
from enum import Enum
from typing import Dict, List


class Op(Enum):
    ADD = 1
    MUL = 2


@torch.jit.script
def fold(ops: List[int], xs: List[int]) -> int:
    acc = 0
    table: Dict[int, str] = {Op.ADD.value: "add", Op.MUL.value: "mul"}
    for i in range(len(ops)):
        if table[ops[i]] == "add":
            acc = acc + xs[i]
        else:
            acc = acc * xs[i]
    return acc


CASES = [
    ("fold", ([1, 2, 1], [3, 4, 5])),
    ("fold", ([], [])),
]
