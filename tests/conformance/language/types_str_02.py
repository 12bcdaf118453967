# Unicode strings: TorchScript's len() counts UTF-8 bytes, not code points,
# and upper() changes ASCII letters only.
import torch
from typing import List


@torch.jit.script
def uni(s: str):
    print(s, len(s))
    return len(s), s + "✓", s.upper(), s == "héllo", "日本語"


CASES = [
    ("uni", ("héllo",)),
    ("uni", ("abc",)),
    ("uni", ("",)),
]
