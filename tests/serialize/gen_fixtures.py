#!/usr/bin/python3
"""Generates the torch.save / torch.jit.save fixtures of tests/serialize/.

Run with the system interpreter that has torch 1.13:
    /usr/bin/python3 tests/serialize/gen_fixtures.py
The C tests (test_torch_load.c, test_pickle.c, test_zip.c) hard-code the
values written here; change both together.
"""
import collections
import io
import math
import os
import zipfile
from typing import Dict, List, Optional, Tuple

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")


def save(obj, name, **kw):
    torch.save(obj, os.path.join(DATA, name), **kw)


def dtypes():
    return {
        "uint8": torch.tensor([0, 1, 254, 255], dtype=torch.uint8),
        "int8": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
        "int16": torch.tensor([-32768, -2, 3, 32767], dtype=torch.int16),
        "int32": torch.tensor([-2**31, -5, 7, 2**31 - 1], dtype=torch.int32),
        "int64": torch.tensor([-2**63, -9, 11, 2**63 - 1], dtype=torch.int64),
        "float16": torch.tensor([0.5, -2.0, 65504.0, math.inf], dtype=torch.float16),
        "float32": torch.tensor([1.5, -0.25, 3.0e38, math.nan], dtype=torch.float32),
        "float64": torch.tensor([math.pi, -1e300, 5e-324, -0.0], dtype=torch.float64),
        "bool": torch.tensor([True, False, True], dtype=torch.bool),
        "bfloat16": torch.tensor([1.0, -3.5, 2.0**100, 0.0078125], dtype=torch.bfloat16),
    }


def containers():
    return {
        "int": 7,
        "neg": -5,
        "big": 2**40,
        "min": -2**63,
        "float": 2.5,
        "true": True,
        "none": None,
        "str": "h\u00e9llo",
        "list": [1, 2.5, "x", None, [3, [4]]],
        "tuple": (1, ("a", 2.0), ()),
        "empty_list": [],
        "empty_dict": {},
        "intkeys": {1: "one", 2: "two"},
        "device": torch.device("cpu"),
        "size": torch.Size([2, 3]),
        "dtype": torch.float16,
    }


def views():
    a = torch.arange(10.0)
    return {
        "a": a,
        "slice": a[2:8:2],
        "t": a.view(2, 5).t(),
        "scalar": a[3],
        "empty": torch.zeros(0),
        "zero_dim": torch.tensor(7),
        "param": torch.nn.Parameter(torch.ones(2)),
    }


def state_dict():
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(torch.arange(6.0).view(2, 3))
        lin.bias.copy_(torch.tensor([-1.0, 1.0]))
    return lin.state_dict()


class Sub(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.arange(4.0).reshape(2, 2))

    def forward(self, x):
        return x @ self.w


class M(torch.nn.Module):
    names: List[str]
    table: Dict[str, int]
    opt: Optional[int]

    def __init__(self):
        super().__init__()
        self.sub = Sub()
        self.register_buffer("buf", torch.arange(6, dtype=torch.int32).reshape(2, 3))
        self.names = ["a", "b"]
        self.table = {"x": 1, "y": 2}
        self.ints = [1, 2, 300]
        self.floats = [0.5, 1.5]
        self.flags = [True, False]
        self.ts = [torch.ones(2), torch.zeros(1)]
        self.nested = [[1], [2, 3]]
        self.tup = (1, "a", 2.5)
        self.scale = 2.5
        self.opt = None

    def forward(self, x):
        return self.sub(x) * self.scale


def main():
    os.makedirs(DATA, exist_ok=True)
    save(dtypes(), "dtypes.pt")
    save(containers(), "containers.pt")
    save(views(), "views.pt")
    save(state_dict(), "state_dict.pt")
    # protocol 4: FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL
    save({"t": torch.tensor([1, 2], dtype=torch.int16), "l": [1, "x", 2**40]}, "proto4.pt", pickle_protocol=4)
    torch.jit.script(M()).save(os.path.join(DATA, "jit.pt"))
    # a zip as Python's zipfile writes it: deflated, no alignment, no descriptors
    with zipfile.ZipFile(os.path.join(DATA, "plain.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("top/hello.txt", "hello hello hello hello hello hello\n" * 4)
        z.writestr(zipfile.ZipInfo("top/stored.bin"), bytes(range(16)), zipfile.ZIP_STORED)
    for f in sorted(os.listdir(DATA)):
        print(f, os.path.getsize(os.path.join(DATA, f)))


if __name__ == "__main__":
    main()
