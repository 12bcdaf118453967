# Enums with str values, passed to and returned from script functions.
import torch
from enum import Enum


class Mode(Enum):
    TRAIN = "train"
    EVAL = "eval"


@torch.jit.script
def flip(m: Mode) -> Mode:
    if m == Mode.TRAIN:
        return Mode.EVAL
    return Mode.TRAIN


@torch.jit.script
def run(train: bool) -> str:
    m = Mode.TRAIN if train else Mode.EVAL
    return flip(m).value + "/" + m.name


CASES = [
    ("run", (True,)),
    ("run", (False,)),
]
