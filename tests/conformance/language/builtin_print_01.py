# print of scalars, strings, None, bools and several arguments (space separated).
import torch


@torch.jit.script
def p(i: int, f: float, s: str) -> None:
    print(i)
    print(f)
    print(s)
    print(i, f, s, None, True, False)
    print()
    print("a", "", "b")


CASES = [
    ("p", (42, 2.5, "text")),
    ("p", (-1, 1e-20, "")),
]
