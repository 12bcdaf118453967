# %-formatting of strings: %s, %d, %f, %e, %c and tuples of values; a
# precision or width (%.2f, %5d) raises at run time in 1.13.
import torch


@torch.jit.script
def pct(i: int, f: float, s: str):
    return "%d items" % i, "%s-%s" % (s, s), "%f" % f, "%e|%d|%s" % (f, i, s), "%c" % "x"


@torch.jit.script
def precision(f: float) -> str:
    return "%.2f" % f


CASES = [
    ("pct", (42, 3.14159, "ab")),
    ("pct", (-3, -0.5, "")),
    ("precision", (1.0,), "raises"),
]
