# print of strings with escapes and unicode; print of a NamedTuple-free tuple
# with nested tuples; interleaving with the result of calls.
import torch


@torch.jit.script
def shout(s: str) -> str:
    print("shouting", s)
    return s.upper()


@torch.jit.script
def p() -> None:
    print("tab\tnew\nline", "é", "\\")
    print(((1, 2), (3.5, "x")))
    print(shout("a"), shout("b"))


CASES = [
    ("p", ()),
]
