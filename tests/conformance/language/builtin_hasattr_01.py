# hasattr and getattr with constant names on TorchScript class objects.
import torch


@torch.jit.script
class Config(object):
    def __init__(self):
        self.width = 4
        self.name = "cfg"


@torch.jit.script
def inspect_cfg() -> bool:
    c = Config()
    return hasattr(c, "width")


@torch.jit.script
def read_cfg():
    c = Config()
    return getattr(c, "width") * 2, getattr(c, "name"), hasattr(c, "height")


CASES = [
    ("inspect_cfg", ()),
    ("read_cfg", ()),
]
