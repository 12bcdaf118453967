#!/usr/bin/python3
"""Generate the conformance corpus: the TorchScript tutorial's programs, saved
by real PyTorch, with inputs and PyTorch's outputs.

    /usr/bin/python3 gen_tutorial.py OUTDIR        # writes the corpus
    /usr/bin/python3 gen_tutorial.py --list-cases  # case names, ';'-separated
                                                   # (no torch needed; CMake uses it)

The programs follow the PyTorch documentation: the "Introduction to
TorchScript" tutorial (MyCell, traced and scripted) and the TorchScript
reference (jit.rst: `foo(x, y) = 2 * x + y`, the `foo(len)` loop of
"Inspecting Code"/"Interpreting Graphs", and "Mixing Tracing and Scripting").
MyModel is the small convolutional model of issue 2.

For every case OUTDIR receives
    <case>.pt               the archive (torch.jit.save; a scripted or traced
                            *function* is saved as a module whose `forward`
                            is the function, PyTorch's PlaceholderModule)
    <case>.args<N>.pt       torch.save of the positional arguments (a tuple)
    <case>.out<N>.pt        torch.save of PyTorch's result for args N, computed
                            by the *loaded* archive
    <case>.graph.txt        print(torch.jit.load(<case>.pt).graph), raw
    <case>.code.txt         torch.jit.load(<case>.pt).code, raw
    <case>.info.txt         print(torch.jit.load(<case>.pt)) (module tree)
and OUTDIR/manifest.json describes all of it (also, per case, the archive's
version, its parameters and buffers, and the aten ops of its inlined graph) (see check.py for how it is
judged). Every case seeds torch's generator itself, so the corpus does not
depend on the order of the cases. Class names may carry PyTorch's
`___torch_mangle_N` (the same class compiled twice in one process, as in the
tutorial); the expected texts come from the saved archive, so they agree.

Exit status: 0 written, 77 when /usr/bin/python3 has no torch (ctest SKIP;
with CTS_REQUIRE_TORCH=1 in the environment that is a failure, 1), 1 on any
other failure.
"""
import sys

# Case names are listed here, before torch is imported, so that CMake can ask
# for them at configure time without paying for (or needing) torch.
CASE_NAMES = (
    "foo_traced",               # 1. traced foo(x, y) = 2 * x + y
    "mycell_traced",            # 2. MyCell traced on (3, 4) inputs
    "mycell_scripted",          # 2. MyCell scripted
    "loop_scripted",            # 3. scripted foo(len) with for/if
    "mymodel_scripted",         # 4. Conv2d + relu + view + Linear, scripted
    "mixed_script_calls_trace", # 5. scripted bar(x) = traced_foo(x, x)
    "mixed_trace_calls_script", # 5. traced bar(x, y, z) = foo(x, y) + z, foo scripted with an if
)

SKIP_RC = 77
FLOAT_ABS_TOL = 1e-5

if __name__ == "__main__" and sys.argv[1:] == ["--list-cases"]:
    print(";".join(CASE_NAMES))
    sys.exit(0)

import json
import os

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # pragma: no cover - depends on the machine
    if __name__ == "__main__":
        print("gen_tutorial.py: SKIP: %s cannot import torch (%s)" % (sys.executable, e), file=sys.stderr)
        sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC)
    raise


# --------------------------------------------------------------------------
# The programs. Each builder returns (obj_to_save, python_reference, inputs,
# description); python_reference is the in-process callable whose result must
# agree with the loaded archive's (a sanity check of the corpus itself).
# --------------------------------------------------------------------------

def build_foo_traced():
    torch.manual_seed(1)

    def foo(x, y):
        return 2 * x + y
    traced_foo = torch.jit.trace(foo, (torch.rand(3), torch.rand(3)))
    inputs = [
        (torch.rand(3), torch.rand(3)),
        (torch.rand(2, 5), torch.rand(2, 5)),
        (torch.rand(4, 1), torch.rand(3)),                           # broadcasting
        (torch.rand(3, dtype=torch.float64), torch.rand(3, dtype=torch.float64)),
        (torch.arange(6).reshape(2, 3), torch.arange(3)),            # int64 stays int64
    ]
    return traced_foo, foo, inputs, "traced function foo(x, y) = 2 * x + y (jit.rst)"


def _mycell_class():
    # Defined once and shared by the traced and the scripted case, as in the
    # tutorial (so PyTorch mangles the second compilation's class names).
    class MyCell(torch.nn.Module):
        def __init__(self):
            super(MyCell, self).__init__()
            self.linear = torch.nn.Linear(4, 4)

        def forward(self, x, h):
            new_h = torch.tanh(self.linear(x) + h)
            return new_h, new_h
    return MyCell


_MyCell = None


def mycell_class():
    global _MyCell
    if _MyCell is None:
        _MyCell = _mycell_class()
    return _MyCell


def _mycell_inputs():
    return [
        (torch.rand(3, 4), torch.rand(3, 4)),
        (torch.rand(3, 4), torch.rand(3, 4)),
        (torch.rand(5, 4), torch.rand(5, 4)),    # another batch size
    ]


def build_mycell_traced():
    torch.manual_seed(2)
    my_cell = mycell_class()()
    x, h = torch.rand(3, 4), torch.rand(3, 4)
    traced_cell = torch.jit.trace(my_cell, (x, h))
    return traced_cell, my_cell, _mycell_inputs(), "MyCell (Linear(4, 4), tanh(linear(x) + h)) traced on (3, 4) inputs (Intro to TorchScript tutorial)"


def build_mycell_scripted():
    torch.manual_seed(2)   # same weights as mycell_traced
    my_cell = mycell_class()()
    x, h = torch.rand(3, 4), torch.rand(3, 4)
    del x, h               # keep the generator in step with mycell_traced
    scripted_cell = torch.jit.script(my_cell)
    return scripted_cell, my_cell, _mycell_inputs(), "MyCell scripted (Intro to TorchScript tutorial)"


def build_loop_scripted():
    torch.manual_seed(3)

    @torch.jit.script
    def foo(len):
        # type: (int) -> torch.Tensor
        rv = torch.zeros(3, 4)
        for i in range(len):
            if i < 10:
                rv = rv - 1.0
            else:
                rv = rv + 1.0
        return rv
    inputs = [(n,) for n in (0, 1, 5, 10, 11, 15)]
    return foo, foo, inputs, "scripted foo(len: int) with a for loop and an if/else (jit.rst, Inspecting Code)"


def build_mymodel_scripted():
    torch.manual_seed(4)

    class MyModel(torch.nn.Module):
        def __init__(self):
            super(MyModel, self).__init__()
            self.conv = torch.nn.Conv2d(3, 64, kernel_size=3, padding=1)
            self.fc = torch.nn.Linear(64 * 8 * 8, 10)

        def forward(self, x):
            x = F.relu(self.conv(x))
            x = x.view(-1, 64 * 8 * 8)
            return self.fc(x)
    model = MyModel()
    scripted = torch.jit.script(model)
    inputs = [
        (torch.rand(1, 3, 8, 8),),
        (torch.randn(2, 3, 8, 8),),
    ]
    return scripted, model, inputs, "MyModel: Conv2d(3, 64, 3, padding=1), relu, view(-1, 64*8*8), Linear(4096, 10), scripted"


def build_mixed_script_calls_trace():
    torch.manual_seed(5)

    def foo(x, y):
        return 2 * x + y
    traced_foo = torch.jit.trace(foo, (torch.rand(3), torch.rand(3)))

    @torch.jit.script
    def bar(x):
        return traced_foo(x, x)
    inputs = [
        (torch.rand(3),),
        (torch.rand(2, 3),),
    ]
    return bar, (lambda x: 2 * x + x), inputs, "scripted bar(x) calling traced_foo(x, x) (jit.rst, Mixing Tracing and Scripting)"


def build_mixed_trace_calls_script():
    torch.manual_seed(6)

    @torch.jit.script
    def foo(x, y):
        if x.max() > y.max():
            r = x
        else:
            r = y
        return r

    def bar(x, y, z):
        return foo(x, y) + z

    traced_bar = torch.jit.trace(bar, (torch.rand(3), torch.rand(3), torch.rand(3)))
    z = torch.rand(3)
    inputs = [
        (torch.tensor([0.9, 0.1, 0.2]), torch.tensor([0.3, 0.4, 0.5]), z),   # x.max() > y.max(): then-branch
        (torch.tensor([0.1, 0.2, 0.3]), torch.tensor([0.7, 0.4, 0.5]), z),   # else-branch
        (torch.tensor([0.5, 0.2, 0.3]), torch.tensor([0.1, 0.5, 0.4]), z),   # tie: else-branch
        (torch.rand(2, 3) + 1.0, torch.rand(2, 3), torch.rand(2, 3)),         # then-branch, 2-d
    ]
    return traced_bar, bar, inputs, "traced bar(x, y, z) = foo(x, y) + z calling scripted foo with `if x.max() > y.max()` (jit.rst)"


BUILDERS = {
    "foo_traced": build_foo_traced,
    "mycell_traced": build_mycell_traced,
    "mycell_scripted": build_mycell_scripted,
    "loop_scripted": build_loop_scripted,
    "mymodel_scripted": build_mymodel_scripted,
    "mixed_script_calls_trace": build_mixed_script_calls_trace,
    "mixed_trace_calls_script": build_mixed_trace_calls_script,
}
assert tuple(BUILDERS) == CASE_NAMES


# --------------------------------------------------------------------------
# Writing the corpus
# --------------------------------------------------------------------------

def describe(v):
    """A short human-readable description of a value, for the manifest."""
    if isinstance(v, torch.Tensor):
        return "Tensor(%s, %s)" % (list(v.shape), str(v.dtype).replace("torch.", ""))
    if isinstance(v, tuple):
        return "(" + ", ".join(describe(e) for e in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(describe(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (describe(k), describe(e)) for k, e in v.items()) + "}"
    return repr(v)


def detach(v):
    """Drop autograd history so torch.save writes plain tensors."""
    if isinstance(v, torch.Tensor):
        return v.detach()
    if isinstance(v, tuple):
        return tuple(detach(e) for e in v)
    if isinstance(v, list):
        return [detach(e) for e in v]
    if isinstance(v, dict):
        return {k: detach(e) for k, e in v.items()}
    return v


def same(a, b):
    """Exact structural equality (the corpus' own sanity check)."""
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and \
            bool(torch.allclose(a.double(), b.double(), rtol=0, atol=1e-6, equal_nan=True))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def archive_version(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith("/version") or n.endswith("/.data/version"):
                return int(z.read(n).decode().strip())
    return None


def generate_case(name, outdir):
    obj, reference, inputs, desc = BUILDERS[name]()
    archive = name + ".pt"
    apath = os.path.join(outdir, archive)
    torch.jit.save(obj, apath)
    loaded = torch.jit.load(apath)

    def write_text(fname, text):
        with open(os.path.join(outdir, fname), "w") as f:
            f.write(text)
        return fname

    method = {"name": "forward",
              "graph": write_text(name + ".graph.txt", str(loaded.graph)),
              "code": write_text(name + ".code.txt", loaded.code),
              "inputs": []}
    for n, args in enumerate(inputs):
        args = tuple(args)
        with torch.no_grad():
            out = detach(loaded(*args))
            ref = detach(reference(*args))
        if not same(out, ref):
            raise RuntimeError("%s: input %d: the loaded archive disagrees with the Python program" % (name, n))
        a, o = "%s.args%d.pt" % (name, n), "%s.out%d.pt" % (name, n)
        torch.save(args, os.path.join(outdir, a))
        torch.save(out, os.path.join(outdir, o))
        method["inputs"].append({"args": a, "output": o, "args_desc": describe(args), "output_desc": describe(out)})

    def kinds(block, acc):
        for node in block.nodes():
            acc.add(node.kind())
            for b in node.blocks():
                kinds(b, acc)
        return acc
    ops = sorted(k for k in kinds(loaded.inlined_graph, set()) if k.startswith("aten::"))

    tensors = [("parameter", k, v) for k, v in loaded.named_parameters()] + \
              [("buffer", k, v) for k, v in loaded.named_buffers()]
    return {
        "name": name,
        "description": desc,
        "archive": archive,
        "archive_version": archive_version(apath),
        "original_name": loaded.original_name,
        "methods": [method],
        "info": write_text(name + ".info.txt", str(loaded) + "\n"),
        "ops": ops,
        "tensors": [{"kind": kind, "name": k, "shape": list(v.shape),
                     "dtype": str(v.dtype).replace("torch.", "")} for kind, k, v in tensors],
    }


TOLERANCE_RULE = (
    "Structures match exactly: tuple vs list vs dict, lengths, dict keys in order, "
    "Python types of scalars (bool, int, float, str, None). Tensors: same dtype, same shape "
    "(strides are not compared); integer and bool tensors, ints, bools and strings exactly equal; "
    "floating tensors and floats: NaN where the expected value is NaN, the same infinity where it is "
    "infinite, otherwise |actual - expected| <= float_abs (absolute, rtol = 0); complex: the same "
    "rule for the real and the imaginary parts."
)


def main(argv):
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: gen_tutorial.py OUTDIR | --list-cases", file=sys.stderr)
        return 2
    outdir = argv[0]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)       # reproducible reductions
    cases = [generate_case(name, outdir) for name in CASE_NAMES]
    manifest = {
        "generator": "tests/conformance/gen_tutorial.py",
        "torch_version": torch.__version__,
        "tolerance": {"float_abs": FLOAT_ABS_TOL, "rule": TOLERANCE_RULE},
        "graph_compare": "normalize_graph.normalize(cts graph) == normalize_graph.normalize(<case>.graph.txt)",
        "code_compare": "cts code == <case>.code.txt, each line right-stripped, trailing blank lines dropped",
        "cases": cases,
    }
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    n_inputs = sum(len(m["inputs"]) for c in cases for m in c["methods"])
    print("gen_tutorial.py: wrote %d cases, %d input sets into %s (torch %s)" %
          (len(cases), n_inputs, outdir, torch.__version__))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException as e:
        import traceback
        traceback.print_exc()
        print("gen_tutorial.py: FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
