# torch.jit.is_scripting() is True when compiled; the other branch is not compiled.
import torch


@torch.jit.script
def where_am_i() -> str:
    if torch.jit.is_scripting():
        return "script"
    else:
        return "python"


@torch.jit.script
def flag() -> bool:
    return torch.jit.is_scripting()


CASES = [
    ("where_am_i", ()),
    ("flag", ()),
]
