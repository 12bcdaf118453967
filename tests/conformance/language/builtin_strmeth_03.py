# strip family, startswith/endswith, replace, find/rfind/index, count.
import torch


@torch.jit.script
def s(x: str):
    return (x.strip(), x.lstrip(), x.rstrip(), x.strip("xa "), x.startswith(" a"), x.endswith("b "),
            x.replace("a", "AA"), x.replace("a", "", 1), x.find("a"), x.rfind("a"), x.count("a"), x.find("zz"))


CASES = [
    ("s", (" aXab ",)),
    ("s", ("xxaxx",)),
]
