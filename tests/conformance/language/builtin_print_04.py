# print of floats needing many digits, infinities, NaN, and large and tiny values.
import torch


@torch.jit.script
def p() -> None:
    print(1.0 / 3.0)
    print(2.0 / 3.0, 10.0, 100.0, 1e15, 1e16, 1e17, 123.456)
    print(float("inf"), float("-inf"), float("nan"))
    print(1e-4, 1e-5, 5e-324, 1.7976931348623157e308)
    print([1.0 / 3.0, 0.1 + 0.2])


CASES = [
    ("p", ()),
]
