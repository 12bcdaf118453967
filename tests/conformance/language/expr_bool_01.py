# and / or / not with short-circuit: the right side is not evaluated when the
# left decides (the print shows which operands ran).
import torch


@torch.jit.script
def loud(v: bool, name: str) -> bool:
    print("eval", name)
    return v


@torch.jit.script
def logic(a: bool, b: bool):
    r1 = loud(a, "a1") and loud(b, "b1")
    r2 = loud(a, "a2") or loud(b, "b2")
    r3 = not loud(a, "a3")
    return r1, r2, r3


CASES = [
    ("logic", (True, False)),
    ("logic", (False, True)),
]
