# Attributes of a TorchScript class must be assigned in __init__.
import torch


@torch.jit.script
class C(object):
    def __init__(self):
        self.a = 1

    def set_b(self) -> None:
        self.b = 2
