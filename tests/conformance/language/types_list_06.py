# A list literal of mixed element types is List[Union[...]] in 1.13 (with a
# warning); elements are refined with isinstance before use.
import torch


@torch.jit.script
def mixed(x: int) -> str:
    xs = [x, "s"]
    out = ""
    for v in xs:
        if isinstance(v, int):
            out += str(v * 2)
        else:
            out += v
    return out


CASES = [
    ("mixed", (21,)),
]
