#!/usr/bin/python3
"""Checks files written by cts with PyTorch 1.13 itself.

    test_pickle_write DIR && test_torch_save DIR && /usr/bin/python3 check_torch_save.py DIR

DIR/saved_basic.pt, saved_zip64.pt, saved_zip64_offsets.pt, saved_int.pt: torch.save files from
test_torch_save.c, read back with torch.load.  DIR/jit_written.pt: a
TorchScript archive whose data.pkl comes from cts's JIT pickler, read with
torch.jit.load.  Every zip is also checked with Python's zipfile (CRC-32s).
Prints "ok" and exits 0 when everything matches.
"""
import math
import os
import sys
import zipfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fixtures  # noqa: E402


def bits(t):
    return t.detach().contiguous().reshape(-1).view(torch.uint8)


def same_tensor(a, b, what):
    assert isinstance(a, torch.Tensor), f"{what}: {type(a)} is not a tensor"
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} != {b.dtype}"
    assert a.shape == b.shape, f"{what}: shape {a.shape} != {b.shape}"
    assert a.stride() == b.stride(), f"{what}: stride {a.stride()} != {b.stride()}"
    assert a.storage_offset() == b.storage_offset(), f"{what}: offset"
    assert a.requires_grad == b.requires_grad, f"{what}: requires_grad"
    assert torch.equal(bits(a), bits(b)), f"{what}: values {a} != {b}"


def check_zip(path):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        assert bad is None, f"{path}: bad CRC in {bad}"
        return z.namelist()


def check_basic(path, root):
    names = check_zip(path)
    assert names[0] == f"{root}/data.pkl" and names[-1] == f"{root}/version", names
    d = torch.load(path)
    assert type(d) is dict, type(d)
    assert d["int"] == 7 and type(d["int"]) is int
    assert d["neg"] == -123456789012
    assert d["min"] == -2**63
    assert d["float"] == 2.5 and math.isnan(d["nan"])
    assert d["true"] is True and d["false"] is False and d["none"] is None
    assert d["str"] == "h\u00e9llo"
    assert d["list"] == [1, "two", [3.0]] and type(d["list"]) is list
    assert d["tuple"] == (1, (2, "x"), ()) and type(d["tuple"]) is tuple
    assert d["empty_list"] == [] and d["empty_dict"] == {}
    assert d["intkeys"] == {1: "one", -2: "minus two"} and list(d["intkeys"]) == [1, -2]
    assert d["device"] == torch.device("cpu")
    want = gen_fixtures.dtypes()
    assert list(d["tensors"]) == list(want)
    for k, t in want.items():
        same_tensor(d["tensors"][k], t, k)
    a, s, t = d["views"]
    base = torch.arange(6.0)
    same_tensor(a, base, "views[0]")
    same_tensor(s, base[1::2], "views[1]")
    same_tensor(t, base.view(2, 3).t(), "views[2]")
    assert a.storage().data_ptr() == s.storage().data_ptr() == t.storage().data_ptr(), "views share storage"
    same_tensor(d["scalar"], torch.tensor(-0.5, dtype=torch.float64), "scalar")
    same_tensor(d["empty"], torch.zeros(0, dtype=torch.int64), "empty")
    same_tensor(d["grad"], torch.tensor(1.0, requires_grad=True), "grad")
    assert list(d) == ["int", "neg", "min", "float", "nan", "true", "false", "none", "str", "list", "tuple",
                       "empty_list", "empty_dict", "intkeys", "device", "tensors", "views", "scalar", "empty",
                       "grad"], list(d)


def check_jit(path):
    check_zip(path)
    m = torch.jit.load(path)
    w = torch.arange(6.0).view(2, 3)
    assert torch.equal(m.w, w) and m.w.requires_grad
    assert [n for n, _ in m.named_parameters()] == ["w"]
    assert torch.equal(m.v, w.t()) and m.v.stride() == (1, 3)
    assert m.v.storage().data_ptr() == m.w.storage().data_ptr()
    assert m.names == ["a", "b"]
    assert m.table == {"x": 1, "y": 2}
    assert m.ints == [1, 2, 300, -5, 2**40]
    assert m.floats == [0.5, -1.5]
    assert m.flags == [True, False]
    same_tensor(m.ts[0], torch.tensor(1.25, dtype=torch.float64), "ts[0]")
    same_tensor(m.ts[1], torch.tensor([-1, 0, 1], dtype=torch.int16), "ts[1]")
    assert m.nested == [[1], [2, 3]]
    assert m.tup == (1, "a", 2.5)
    assert m.opt is None
    assert m.sub.k == 42 and m.training is True
    assert torch.equal(m(torch.ones(2, 3)), w + 1)


def main():
    d = sys.argv[1]
    check_basic(os.path.join(d, "saved_basic.pt"), "saved_basic")
    check_basic(os.path.join(d, "saved_zip64.pt"), "saved_zip64")
    # zip64 offsets on a small file: PyTorch's miniz rejects the placeholder
    # offsets by a size sanity check, so only zipfile can read this one
    names = check_zip(os.path.join(d, "saved_zip64_offsets.pt"))
    assert names[0] == "saved_zip64_offsets/data.pkl", names
    check_zip(os.path.join(d, "saved_int.pt"))
    assert torch.load(os.path.join(d, "saved_int.pt")) == -3
    check_jit(os.path.join(d, "jit_written.pt"))
    print("ok")


if __name__ == "__main__":
    main()
