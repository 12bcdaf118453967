#!/usr/bin/python3
"""Check cts's embedded torch.nn / torchvision library (src/exec/lib) against
real PyTorch.

Run with a Python that has torch 1.13 and torchvision 0.14:

    /usr/bin/python3 tests/exec/check_nnlib.py [-v] [NAME_SUBSTRING ...]

The library files are written for cts's own evaluator, and import each other by
PyTorch's real module names (`from torch.nn.modules.linear import Linear`).
Here they are loaded under real CPython: every library file is loaded as the
module `ctslib.<its dotted path>` (e.g. src/exec/lib/torch/nn/modules/linear.py
becomes `ctslib.torch.nn.modules.linear`), and each import statement in it that
names a module the library has a file for is rewritten (in the AST, keeping
line numbers) to import the `ctslib.` copy instead. Everything the library does
not define (torch, torch.nn.functional, torch.nn.modules.module.Module,
torch.nn.parameter.Parameter, torch.nn.modules.utils, math, typing ...) stays
real PyTorch / CPython: those are the parts cts provides natively.

For each case (a module class with one constructor configuration, or a
torchvision model builder):
  - torch.manual_seed(s); build ours; torch.manual_seed(s); build PyTorch's
    (both under torch.no_grad(): our init functions call the in-place fills
    directly, as cts has no autograd);
  - named_parameters() and named_buffers(): same names, order, dtypes, shapes,
    values (exactly);
  - repr() equal;
  - forward outputs equal (eval mode, and train mode where it matters, the RNG
    re-seeded before each call), max abs difference <= 1e-6 (exact for most);
  - torch.jit.trace: the module's graph and inlined graph equal after
    tests/conformance/normalize_graph.normalize and after mapping the
    qualified names (`__torch__.ctslib.` -> `__torch__.`, `___torch_mangle_N.`
    dropped);
  - torch.jit.script (where PyTorch can script the module): `.code` and the
    inlined graph equal, with the same normalization, the code of every other
    method PyTorch compiled equal (for RNN/LSTM/GRU, whose forward PyTorch
    declares with @overload, PyTorch's `forward__0`, the Tensor overload, is
    compared with our `forward`), and the scripted outputs equal. Our
    Sequential/ModuleList/ModuleDict are passed off as PyTorch's while
    scripting (see ScriptPatch);
  - for containers, indexing/slicing/len/iteration/append results (`extra`).
Cases that skip a check say so after `ok NAME (...)`: when PyTorch cannot
script its own module, and for MultiheadAttention/Transformer*, whose scripted
code in PyTorch contains the inference fast path that the library leaves out.
Prints `ok NAME` or `FAIL NAME: why` per case, then `N passed, M failed`.
Exit 0 when all pass, 1 when any fails, 77 when torch cannot be imported.
`-v` prints tracebacks and full texts of differing graphs/code; further
arguments select the cases whose name contains one of them.
"""
import ast
import importlib.abc
import importlib.util
import os
import re
import sys
import time
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIB = os.path.join(ROOT, "src", "exec", "lib")
PREFIX = "ctslib"

sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))

try:
    import torch
    import torch.nn
    import torchvision  # noqa: F401
    import torchvision.models
except Exception as e:  # pragma: no cover
    print("skip: cannot import torch/torchvision: %s" % e)
    sys.exit(77)

from normalize_graph import normalize  # noqa: E402


# --------------------------------------------------------------------------
# Loading the library under the ctslib. prefix


# Library files that stand for functions TorchScript knows as builtins
# (torch.nn.modules.utils._pair is aten::_pair when scripting): our files are
# loaded with PyTorch's own module in their place, so that torch.jit.script
# recognizes them; the library's versions are checked eagerly (check_utils).
KEEP_REAL = {"torch.nn.modules.utils"}


def _lib_path(dotted):
    """(path, is_package) for a module the library defines, else None."""
    if dotted in KEEP_REAL:
        return None
    base = os.path.join(LIB, *dotted.split("."))
    if os.path.isfile(base + ".py"):
        return base + ".py", False
    if os.path.isfile(os.path.join(base, "__init__.py")):
        return os.path.join(base, "__init__.py"), True
    return None


def _real_module(dotted):
    try:
        return importlib.util.find_spec(dotted) is not None
    except ImportError:
        return False


def _is_mine(dotted):
    return _lib_path(dotted) is not None


class _Rewriter(ast.NodeTransformer):
    def visit_Import(self, node):
        for a in node.names:
            if _is_mine(a.name):
                if a.asname is None:
                    raise ImportError("%s: `import %s` without `as` cannot be redirected"
                                      % (self.filename, a.name))
                a.name = PREFIX + "." + a.name
        return node

    def visit_ImportFrom(self, node):
        if node.level:
            raise ImportError("%s:%d: relative import" % (self.filename, node.lineno))
        if _is_mine(node.module):
            # our package; a name that is a native submodule (torch.nn.functional
            # under our torch/nn/__init__.py) stays real
            mine = [a for a in node.names if _is_mine(node.module + "." + a.name)
                    or not _real_module(node.module + "." + a.name)]
        else:
            mine = [a for a in node.names if _is_mine(node.module + "." + a.name)]
        if not mine:
            return node
        rest = [a for a in node.names if a not in mine]
        out = [ast.copy_location(ast.ImportFrom(module=PREFIX + "." + node.module,
                                                names=mine, level=0), node)]
        if rest:
            out.append(ast.copy_location(ast.ImportFrom(module=node.module, names=rest,
                                                        level=0), node))
        return out


class _Loader(importlib.abc.Loader):
    def __init__(self, path):
        self.path = path

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if self.path is None:  # a directory without __init__.py
            return
        with open(self.path) as f:
            src = f.read()
        tree = ast.parse(src, self.path)
        rw = _Rewriter()
        rw.filename = self.path
        tree = ast.fix_missing_locations(rw.visit(tree))
        code = compile(tree, self.path, "exec")
        exec(code, module.__dict__)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != PREFIX and not fullname.startswith(PREFIX + "."):
            return None
        rel = fullname[len(PREFIX) + 1:]
        found = _lib_path(rel) if rel else None
        if found is not None:
            p, is_pkg = found
            spec = importlib.util.spec_from_file_location(
                fullname, p, loader=_Loader(p),
                submodule_search_locations=[os.path.dirname(p)] if is_pkg else None)
            return spec
        d = os.path.join(LIB, *rel.split(".")) if rel else LIB
        if os.path.isdir(d):
            spec = importlib.util.spec_from_loader(fullname, _Loader(None), is_package=True)
            spec.submodule_search_locations = [d]
            return spec
        return None


sys.meta_path.insert(0, _Finder())


def mine(dotted):
    return importlib.import_module(PREFIX + "." + dotted)


# --------------------------------------------------------------------------
# Comparison helpers

_MANGLE = re.compile(r"___torch_mangle_\d+\.")


def norm_names(text):
    text = text.replace("__torch__." + PREFIX + ".", "__torch__.")
    text = text.replace(PREFIX + ".", "")
    return _MANGLE.sub("", text)


def norm_graph(text):
    return normalize(norm_names(text))


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else "<end>"
        y = bl[i] if i < len(bl) else "<end>"
        if x != y:
            return "line %d:\n      ours:    %s\n      pytorch: %s" % (i + 1, x.strip(), y.strip())
    return "?"


def compare_tensors(what, a, b, tol):
    if isinstance(a, (tuple, list)):
        if not isinstance(b, (tuple, list)) or len(a) != len(b):
            return "%s: structure differs" % what
        for i, (x, y) in enumerate(zip(a, b)):
            r = compare_tensors("%s[%d]" % (what, i), x, y, tol)
            if r:
                return r
        return None
    if a is None or b is None:
        return None if a is b else "%s: None vs tensor" % what
    if a.dtype != b.dtype or a.shape != b.shape:
        return "%s: %s%s vs %s%s" % (what, a.dtype, tuple(a.shape), b.dtype, tuple(b.shape))
    if tol == 0:
        if not torch.equal(a, b):
            return "%s: values differ (max %g)" % (what, (a.double() - b.double()).abs().max())
    elif a.numel() and not torch.allclose(a, b, rtol=0, atol=tol):
        return "%s: max abs diff %g > %g" % (what, (a.double() - b.double()).abs().max(), tol)
    return None


def compare_state(ours, theirs):
    for kind in ("named_parameters", "named_buffers"):
        a = list(getattr(ours, kind)())
        b = list(getattr(theirs, kind)())
        na, nb = [n for n, _ in a], [n for n, _ in b]
        if na != nb:
            return "%s names differ:\n      ours:    %s\n      pytorch: %s" % (kind, na, nb)
        for (n, x), (_, y) in zip(a, b):
            r = compare_tensors("%s %s" % (kind, n), x, y, 0)
            if r:
                return r
            if isinstance(x, torch.nn.Parameter) != isinstance(y, torch.nn.Parameter):
                return "%s %s: Parameter vs plain tensor" % (kind, n)
            if isinstance(y, torch.nn.Parameter) and x.requires_grad != y.requires_grad:
                return "%s %s: requires_grad differs" % (kind, n)
    return None


def run_forward(m, inputs, seed):
    torch.manual_seed(seed)
    with torch.no_grad():
        return m(*inputs)


class ScriptPatch:
    """torch.jit.script recognizes containers by isinstance on PyTorch's own
    classes; while scripting ours, let our Sequential/ModuleList/ModuleDict
    count as theirs (cts's compiler does the same for its own classes)."""

    def __enter__(self):
        c = mine("torch.nn.modules.container")
        self.saved = {}
        for name in ("Sequential", "ModuleList", "ModuleDict"):
            real = getattr(torch.nn, name)
            self.saved[name] = real
            setattr(torch.nn, name, (real, getattr(c, name)))
        return self

    def __exit__(self, *a):
        for name, real in self.saved.items():
            setattr(torch.nn, name, real)


# --------------------------------------------------------------------------
# Cases


class Case:
    def __init__(self, name, where, cls, args=(), kwargs=None, inputs=None, train=False,
                 script=True, trace=True, tol=0.0, theirs=None, seed=0, note="", extra=None):
        self.name = name
        self.where = where        # dotted module path of ours (under src/exec/lib)
        self.cls = cls            # attribute name there
        self.args = args
        self.kwargs = kwargs or {}
        self.inputs = inputs      # () -> tuple of inputs (called under a fixed seed)
        self.train = train        # also compare train-mode outputs
        self.script = script
        self.trace = trace
        self.tol = tol
        self.theirs = theirs      # callable building PyTorch's (default: torch.nn.<cls>)
        self.seed = seed
        self.note = note          # printed after `ok NAME`: what was not compared
        self.extra = extra        # module -> value compared with ==, e.g. container indexing


def T(*shape):
    return lambda: (torch.randn(*shape),)


def clone(x, memo=None):
    """Copy the inputs, keeping identity (MultiheadAttention's `query is key`)."""
    memo = {} if memo is None else memo
    if isinstance(x, (tuple, list)):
        return type(x)(clone(y, memo) for y in x)
    if isinstance(x, torch.Tensor):
        if id(x) not in memo:
            memo[id(x)] = x.clone()
        return memo[id(x)]
    return x


def T2(s1, s2):
    return lambda: (torch.randn(*s1), torch.randn(*s2))


L = "torch.nn.modules.linear"
C = "torch.nn.modules.conv"
BN = "torch.nn.modules.batchnorm"
NO = "torch.nn.modules.normalization"
SP = "torch.nn.modules.sparse"
AC = "torch.nn.modules.activation"
DR = "torch.nn.modules.dropout"
PO = "torch.nn.modules.pooling"
FL = "torch.nn.modules.flatten"
CO = "torch.nn.modules.container"
RN = "torch.nn.modules.rnn"
TR = "torch.nn.modules.transformer"
TV = "torchvision.models"


def seq_builder(ns):
    return ns.Sequential(ns.Linear(4, 8), ns.ReLU(), ns.Linear(8, 3))


def seq_od_builder(ns):
    from collections import OrderedDict
    return ns.Sequential(OrderedDict([("fc1", ns.Linear(4, 6)), ("act", ns.Tanh()),
                                      ("fc2", ns.Linear(6, 2))]))


def modlist_builder(ns):
    return ns.ModuleList([ns.Linear(4, 4), ns.ReLU(), ns.Linear(4, 2)])


def moddict_builder(ns):
    return ns.ModuleDict({"a": ns.Linear(3, 3), "b": ns.Sigmoid()})


class LoopNet(torch.nn.Module):
    """Scripts iteration over a ModuleList and a ModuleDict, and indexing."""

    def __init__(self, ns):
        super().__init__()
        self.layers = ns.ModuleList([ns.Linear(4, 4), ns.ReLU(), ns.Linear(4, 2)])
        self.heads = ns.ModuleDict({"a": ns.Linear(2, 2), "b": ns.Tanh()})
        self.seq = ns.Sequential(ns.Linear(2, 3), ns.Sigmoid())

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        for name, head in self.heads.items():
            x = head(x)
        x = self.layers[2](self.layers[1](self.layers[0](torch.cat([x, x], 1)))) + x
        return self.seq(x)


def cases():
    cs = []
    add = cs.append
    # linear
    add(Case("Linear(4,3)", L, "Linear", (4, 3), inputs=T(2, 4)))
    add(Case("Linear(5,7,bias=False)", L, "Linear", (5, 7), {"bias": False}, inputs=T(3, 2, 5)))
    add(Case("Linear(1,1)", L, "Linear", (1, 1), inputs=T(1, 1)))
    add(Case("Bilinear(3,4,5)", L, "Bilinear", (3, 4, 5), inputs=T2((2, 3), (2, 4))))
    add(Case("Bilinear(3,4,5,bias=False)", L, "Bilinear", (3, 4, 5), {"bias": False},
             inputs=T2((2, 3), (2, 4))))
    add(Case("Identity", L, "Identity", (54,), {"unused": 1}, inputs=T(2, 3)))
    # conv
    add(Case("Conv2d(3,8,3)", C, "Conv2d", (3, 8, 3), inputs=T(1, 3, 9, 9)))
    add(Case("Conv2d(4,8,(3,5),stride=2,padding=(1,2),bias=False)", C, "Conv2d", (4, 8, (3, 5)),
             {"stride": 2, "padding": (1, 2), "bias": False}, inputs=T(2, 4, 11, 12)))
    add(Case("Conv2d(4,4,3,groups=4,dilation=2,padding=2)", C, "Conv2d", (4, 4, 3),
             {"groups": 4, "dilation": 2, "padding": 2}, inputs=T(1, 4, 10, 10)))
    add(Case("Conv2d(2,3,3,padding='same',padding_mode='reflect')", C, "Conv2d", (2, 3, 3),
             {"padding": "same", "padding_mode": "reflect"}, inputs=T(1, 2, 7, 7)))
    add(Case("Conv2d(2,3,2,padding=1,padding_mode='circular')", C, "Conv2d", (2, 3, 2),
             {"padding": 1, "padding_mode": "circular"}, inputs=T(1, 2, 6, 6)))
    add(Case("Conv1d(3,5,3)", C, "Conv1d", (3, 5, 3), inputs=T(2, 3, 10)))
    add(Case("Conv1d(4,6,2,stride=2,padding=1,groups=2,bias=False)", C, "Conv1d", (4, 6, 2),
             {"stride": 2, "padding": 1, "groups": 2, "bias": False}, inputs=T(1, 4, 9)))
    add(Case("ConvTranspose2d(4,3,3,stride=2)", C, "ConvTranspose2d", (4, 3, 3), {"stride": 2},
             inputs=T(1, 4, 5, 5), tol=1e-6))
    add(Case("ConvTranspose2d(4,6,(2,3),stride=2,padding=1,output_padding=1,groups=2,bias=False)",
             C, "ConvTranspose2d", (4, 6, (2, 3)),
             {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2, "bias": False},
             inputs=T(2, 4, 5, 6), tol=1e-6))
    # batchnorm
    add(Case("BatchNorm2d(4)", BN, "BatchNorm2d", (4,), inputs=T(3, 4, 5, 5), train=True, tol=1e-6))
    add(Case("BatchNorm2d(3,eps=1e-3,momentum=None)", BN, "BatchNorm2d", (3,),
             {"eps": 1e-3, "momentum": None}, inputs=T(2, 3, 4, 4), train=True, tol=1e-6))
    add(Case("BatchNorm2d(3,affine=False,track_running_stats=False)", BN, "BatchNorm2d", (3,),
             {"affine": False, "track_running_stats": False}, inputs=T(2, 3, 4, 4), train=True,
             tol=1e-6))
    add(Case("BatchNorm1d(5)", BN, "BatchNorm1d", (5,), inputs=T(4, 5), train=True, tol=1e-6))
    add(Case("BatchNorm1d(5,momentum=0.3,affine=False)", BN, "BatchNorm1d", (5,),
             {"momentum": 0.3, "affine": False}, inputs=T(4, 5, 3), train=True, tol=1e-6))
    # normalization
    add(Case("LayerNorm(6)", NO, "LayerNorm", (6,), inputs=T(2, 3, 6), tol=1e-6))
    add(Case("LayerNorm([3,4],eps=1e-3,elementwise_affine=False)", NO, "LayerNorm", ([3, 4],),
             {"eps": 1e-3, "elementwise_affine": False}, inputs=T(2, 3, 4), tol=1e-6))
    add(Case("GroupNorm(2,6)", NO, "GroupNorm", (2, 6), inputs=T(2, 6, 3, 3), tol=1e-6))
    add(Case("GroupNorm(3,6,affine=False)", NO, "GroupNorm", (3, 6), {"affine": False},
             inputs=T(2, 6, 4), tol=1e-6))
    # sparse
    add(Case("Embedding(10,3)", SP, "Embedding", (10, 3),
             inputs=lambda: (torch.tensor([[1, 2, 4], [4, 3, 9]]),)))
    add(Case("Embedding(10,4,padding_idx=0,max_norm=1.0)", SP, "Embedding", (10, 4),
             {"padding_idx": 0, "max_norm": 1.0}, inputs=lambda: (torch.tensor([0, 2, 0, 5]),),
             tol=1e-6, trace=False))
    add(Case("Embedding(8,2,padding_idx=-1,scale_grad_by_freq=True)", SP, "Embedding", (8, 2),
             {"padding_idx": -1, "scale_grad_by_freq": True},
             inputs=lambda: (torch.tensor([7, 1, 7]),)))
    # activations
    for nm, args, kw in [("ReLU", (), {}), ("ReLU", (True,), {}), ("ReLU6", (), {}),
                         ("GELU", (), {}), ("GELU", (), {"approximate": "tanh"}),
                         ("SiLU", (), {}), ("Tanh", (), {}), ("Sigmoid", (), {}),
                         ("Softmax", (), {"dim": 1}), ("Softmax", (-1,), {}),
                         ("Hardswish", (), {}), ("Hardsigmoid", (), {})]:
        label = "%s(%s)" % (nm, ",".join([repr(a) for a in args] +
                                         ["%s=%r" % kv for kv in kw.items()]))
        add(Case(label, AC, nm, args, kw, inputs=T(2, 5, 3), tol=1e-6))
    add(Case("Softmax()", AC, "Softmax", (), inputs=T(2, 5), tol=1e-6, script=False))
    # dropout
    add(Case("Dropout()", DR, "Dropout", (), inputs=T(4, 6), train=True))
    add(Case("Dropout(0.2,inplace=True)", DR, "Dropout", (0.2, True), inputs=T(4, 6), train=True))
    # pooling
    add(Case("MaxPool2d(2)", PO, "MaxPool2d", (2,), inputs=T(1, 3, 8, 8)))
    add(Case("MaxPool2d(3,stride=2,padding=1,ceil_mode=True)", PO, "MaxPool2d", (3,),
             {"stride": 2, "padding": 1, "ceil_mode": True}, inputs=T(1, 2, 9, 9)))
    add(Case("MaxPool2d((2,3),dilation=2)", PO, "MaxPool2d", ((2, 3),), {"dilation": 2},
             inputs=T(2, 2, 9, 11)))
    add(Case("AvgPool2d(2)", PO, "AvgPool2d", (2,), inputs=T(1, 3, 8, 8), tol=1e-6))
    add(Case("AvgPool2d(3,stride=2,padding=1,count_include_pad=False,divisor_override=None)",
             PO, "AvgPool2d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False},
             inputs=T(1, 2, 9, 9), tol=1e-6))
    add(Case("AdaptiveAvgPool2d((1,1))", PO, "AdaptiveAvgPool2d", ((1, 1),),
             inputs=T(2, 3, 7, 7), tol=1e-6))
    add(Case("AdaptiveAvgPool2d(3)", PO, "AdaptiveAvgPool2d", (3,), inputs=T(1, 2, 8, 8), tol=1e-6))
    add(Case("AdaptiveAvgPool2d((None,2))", PO, "AdaptiveAvgPool2d", ((None, 2),),
             inputs=T(1, 2, 5, 8), tol=1e-6))
    # flatten
    add(Case("Flatten()", FL, "Flatten", (), inputs=T(2, 3, 4, 5)))
    add(Case("Flatten(0,2)", FL, "Flatten", (0, 2), inputs=T(2, 3, 4, 5)))
    # containers (built from the same-namespace classes)
    add(Case("Sequential(Linear,ReLU,Linear)", None, seq_builder, inputs=T(2, 4), tol=1e-6,
             extra=lambda m: [repr(m[0]), repr(m[-1]), repr(m[1:]), len(m), [repr(x) for x in m],
                              repr(m.append(m[1]))]))
    add(Case("Sequential(OrderedDict)", None, seq_od_builder, inputs=T(2, 4), tol=1e-6))
    add(Case("ModuleList", None, modlist_builder, inputs=None, script=False,
             extra=lambda m: [repr(m[1]), repr(m[-1]), repr(m[0:2]), len(m), [repr(x) for x in m],
                              repr(m.append(m[0])), repr(m.extend([m[1]]))]))
    add(Case("ModuleDict", None, moddict_builder, inputs=None, script=False,
             extra=lambda m: [list(m.keys()), repr(m["a"]), "b" in m, len(m), list(m),
                              [(k, repr(v)) for k, v in m.items()]]))
    add(Case("ModuleList/ModuleDict/Sequential in a scripted forward", None, LoopNet,
             inputs=T(3, 4), tol=1e-6))
    # recurrent
    add(Case("RNN(4,8)", RN, "RNN", (4, 8), inputs=T(5, 2, 4), tol=1e-6))
    add(Case("RNN(4,8,2,nonlinearity='relu',bias=False,batch_first=True)", RN, "RNN", (4, 8, 2),
             {"nonlinearity": "relu", "bias": False, "batch_first": True}, inputs=T(2, 5, 4),
             tol=1e-6))
    add(Case("LSTM(4,8)", RN, "LSTM", (4, 8), inputs=T(5, 2, 4), tol=1e-6))
    add(Case("LSTM(4,8,num_layers=2,batch_first=True,bidirectional=True)", RN, "LSTM", (4, 8),
             {"num_layers": 2, "batch_first": True, "bidirectional": True}, inputs=T(3, 5, 4),
             tol=1e-6))
    add(Case("LSTM(4,8,proj_size=3)", RN, "LSTM", (4, 8), {"proj_size": 3}, inputs=T(5, 2, 4),
             tol=1e-6))
    add(Case("LSTM(4,8,dropout=0.5,num_layers=2) unbatched", RN, "LSTM", (4, 8),
             {"num_layers": 2, "dropout": 0.5}, inputs=T(5, 4), tol=1e-6, train=True))
    add(Case("GRU(4,8)", RN, "GRU", (4, 8), inputs=T(5, 2, 4), tol=1e-6))
    add(Case("GRU(4,8,batch_first=True) with h0", RN, "GRU", (4, 8), {"batch_first": True},
             inputs=lambda: (torch.randn(2, 5, 4), torch.randn(1, 2, 8)), tol=1e-6))
    add(Case("LSTM(4,8,num_layers=2) with (h0,c0)", RN, "LSTM", (4, 8), {"num_layers": 2},
             inputs=lambda: (torch.randn(5, 2, 4), (torch.randn(2, 2, 8), torch.randn(2, 2, 8))),
             tol=1e-6))
    add(Case("RNN(3,5) unbatched with h0", RN, "RNN", (3, 5),
             inputs=lambda: (torch.randn(4, 3), torch.randn(1, 5)), tol=1e-6))
    add(Case("GRU(3,6,num_layers=2,bidirectional=True)", RN, "GRU", (3, 6),
             {"num_layers": 2, "bidirectional": True}, inputs=T(4, 2, 3), tol=1e-6))
    # attention / transformer
    add(Case("MultiheadAttention(8,2)", AC, "MultiheadAttention", (8, 2),
             inputs=lambda: (torch.randn(5, 2, 8), torch.randn(5, 2, 8), torch.randn(5, 2, 8)),
             tol=1e-5, script=False, note="script not compared: PyTorch's inference fast path is left out"))
    add(Case("MultiheadAttention(8,4,batch_first=True,bias=False)", AC, "MultiheadAttention", (8, 4),
             {"batch_first": True, "bias": False},
             inputs=lambda: (torch.randn(2, 5, 8), torch.randn(2, 6, 8), torch.randn(2, 6, 8)),
             tol=1e-5))
    add(Case("MultiheadAttention(6,2,kdim=4,vdim=5,add_bias_kv=True)", AC, "MultiheadAttention", (6, 2),
             {"kdim": 4, "vdim": 5, "add_bias_kv": True},
             inputs=lambda: (torch.randn(5, 2, 6), torch.randn(3, 2, 4), torch.randn(3, 2, 5)),
             tol=1e-5))
    add(Case("MultiheadAttention(8,2) key_padding_mask", AC, "MultiheadAttention", (8, 2),
             inputs=lambda: (torch.randn(5, 2, 8), torch.randn(4, 2, 8), torch.randn(4, 2, 8),
                             torch.tensor([[False, False, True, True], [False, False, False, True]])),
             tol=1e-5, script=False))
    add(Case("MultiheadAttention(8,2,dropout=0.3,add_zero_attn=True) attn_mask, train", AC,
             "MultiheadAttention", (8, 2), {"dropout": 0.3, "add_zero_attn": True},
             inputs=lambda: (torch.randn(5, 2, 8), torch.randn(4, 2, 8), torch.randn(4, 2, 8),
                             None, True, torch.randn(5, 4)),
             tol=1e-5, script=False, trace=False, train=True))
    add(Case("MultiheadAttention(8,2,batch_first=True) unbatched self-attention", AC,
             "MultiheadAttention", (8, 2), {"batch_first": True},
             inputs=lambda: (lambda x: (x, x, x))(torch.randn(5, 8)), tol=1e-5, script=False))
    add(Case("TransformerEncoderLayer(8,2,16) src_mask", TR, "TransformerEncoderLayer", (8, 2, 16),
             inputs=lambda: (torch.randn(5, 2, 8), torch.zeros(5, 5).masked_fill(
                 torch.triu(torch.ones(5, 5, dtype=torch.bool), 1), float("-inf"))),
             tol=1e-5, script=False))
    add(Case("TransformerEncoderLayer(8,2,16)", TR, "TransformerEncoderLayer", (8, 2, 16),
             inputs=T(5, 2, 8), tol=1e-5, train=True, script=False, note="script not compared: PyTorch's inference fast path is left out"))
    add(Case("TransformerEncoderLayer(8,2,16,activation='gelu',batch_first=True,norm_first=True)",
             TR, "TransformerEncoderLayer", (8, 2, 16),
             {"activation": "gelu", "batch_first": True, "norm_first": True},
             inputs=T(2, 5, 8), tol=1e-5, train=True, script=False, note="script not compared: PyTorch's inference fast path is left out"))
    add(Case("TransformerEncoder(layer,2)", None, "TransformerEncoder", inputs=T(5, 2, 8), tol=1e-5,
             script=False, note="script not compared: PyTorch's inference fast path is left out"))
    # torchvision
    add(Case("resnet18()", TV, "resnet18", (), inputs=T(1, 3, 64, 64), tol=1e-5, train=True))
    add(Case("resnet18(num_classes=10)", TV, "resnet18", (), {"num_classes": 10},
             inputs=T(2, 3, 32, 32), tol=1e-5, script=False))
    add(Case("resnet50()", TV, "resnet50", (), inputs=T(1, 3, 64, 64), tol=1e-5, script=False))
    add(Case("resnet50(zero_init_residual=True,replace_stride_with_dilation=[False,True,True])",
             TV, "resnet50", (), {"zero_init_residual": True,
                                  "replace_stride_with_dilation": [False, True, True]},
             inputs=T(1, 3, 32, 32), tol=1e-5, script=False, trace=False))
    add(Case("mobilenet_v2()", TV, "mobilenet_v2", (), inputs=T(1, 3, 64, 64), tol=1e-5, train=True))
    add(Case("mobilenet_v2(width_mult=0.5,num_classes=7)", TV, "mobilenet_v2", (),
             {"width_mult": 0.5, "num_classes": 7}, inputs=T(1, 3, 32, 32), tol=1e-5,
             script=False, trace=False))
    return cs


def encoder_builder(ns, tr):
    layer = tr.TransformerEncoderLayer(8, 2, 16)
    return tr.TransformerEncoder(layer, 2, norm=ns.LayerNorm(8))


def build(case, ours):
    if case.name.startswith("TransformerEncoder("):
        if ours:
            return encoder_builder(mine("torch.nn"), mine(TR))
        return encoder_builder(torch.nn, torch.nn)
    if case.where is None:
        return case.cls(mine("torch.nn") if ours else torch.nn)
    if ours:
        return getattr(mine(case.where), case.cls)(*case.args, **case.kwargs)
    if case.where == TV:
        return getattr(torchvision.models, case.cls)(*case.args, **case.kwargs)
    return getattr(torch.nn, case.cls)(*case.args, **case.kwargs)


def check_case(case, verbose):
    s = case.seed
    torch.manual_seed(s)
    with torch.no_grad():
        a = build(case, True)
    torch.manual_seed(s)
    with torch.no_grad():
        b = build(case, False)
    r = compare_state(a, b)
    if r:
        return r
    if repr(a) != repr(b):
        return "repr differs: " + first_diff(repr(a), repr(b))
    if case.extra is not None:
        ea, eb = case.extra(a), case.extra(b)
        if ea != eb:
            return "extra check differs:\n      ours:    %s\n      pytorch: %s" % (ea, eb)
    if case.inputs is None:
        return None
    torch.manual_seed(1000 + s)
    inputs = case.inputs()
    modes = [False, True] if case.train else [False]
    for train in modes:
        a.train(train)
        b.train(train)
        ya = run_forward(a, clone(list(inputs)), 7)
        yb = run_forward(b, clone(list(inputs)), 7)
        r = compare_tensors("output(%s)" % ("train" if train else "eval"), ya, yb, case.tol)
        if r:
            return r
        r = compare_state(a, b)  # running stats updated alike
        if r:
            return "after forward(%s): %s" % ("train" if train else "eval", r)
    a.eval()
    b.eval()
    if case.trace:
        ta = torch.jit.trace(a, tuple(inputs), check_trace=False)
        tb = torch.jit.trace(b, tuple(inputs), check_trace=False)
        for what in ("graph", "inlined_graph"):
            ga, gb = norm_graph(str(getattr(ta, what))), norm_graph(str(getattr(tb, what)))
            if ga != gb:
                if verbose:
                    print(ga, "\n----\n", gb)
                return "trace %s differs: %s" % (what, first_diff(ga, gb))
    if case.script:
        try:
            sb = torch.jit.script(b)
        except Exception:
            sb = None  # PyTorch cannot script its own: nothing to compare
            case.note = (case.note + "; " if case.note else "") + "PyTorch cannot script it"
    if case.script and sb is not None:
        with ScriptPatch():
            sa = torch.jit.script(a)
        mb = sb._c._method_names()
        if "forward" in mb:
            ca, cb = norm_names(sa.code), norm_names(sb.code)
            if ca != cb:
                if verbose:
                    print(ca, "\n----\n", cb)
                return "script code differs: " + first_diff(ca, cb)
            ga, gb = norm_graph(str(sa.inlined_graph)), norm_graph(str(sb.inlined_graph))
            if ga != gb:
                if verbose:
                    print(ga, "\n----\n", gb)
                return "script inlined_graph differs: " + first_diff(ga, gb)
        # every method PyTorch compiled (its overloaded forward: the Tensor
        # overload forward__0, which ours defines as forward)
        ma = sa._c._method_names()
        for name in mb:
            if name == "forward__1":
                continue
            ours_name = "forward" if name == "forward__0" else name
            if ours_name not in ma:
                return "scripted method %s missing" % ours_name
            ca = norm_names(sa._c._get_method(ours_name).code)
            cb = norm_names(sb._c._get_method(name).code).replace("def forward__0(", "def forward(")
            if ca != cb:
                if verbose:
                    print(ca, "\n----\n", cb)
                return "script code of %s differs: %s" % (name, first_diff(ca, cb))
        ya = run_forward(sa, clone(list(inputs)), 7)
        fb = sb if "forward" in mb else sb._c._get_method("forward__0")
        yb = run_forward(fb, clone(list(inputs)), 7)
        r = compare_tensors("scripted output", ya, yb, case.tol)
        if r:
            return r
    return None


def check_utils():
    """The library's torch/nn/modules/utils.py (if any) against PyTorch's."""
    path = os.path.join(LIB, "torch", "nn", "modules", "utils.py")
    if not os.path.isfile(path):
        return None
    ns = {}
    exec(compile(open(path).read(), path, "exec"), ns)
    import torch.nn.modules.utils as real
    for name, args in [("_single", (3,)), ("_single", ((4,),)), ("_pair", (3,)), ("_pair", ((1, 2),)),
                       ("_pair", ([5, 6],)), ("_triple", (0,)), ("_triple", ((1, 2, 3),)),
                       ("_quadruple", (2,)), ("_reverse_repeat_tuple", ((1, 2), 2)),
                       ("_reverse_repeat_tuple", ((1, 2, 3), 1))]:
        if name not in ns:
            return "%s missing" % name
        a, b = ns[name](*args), getattr(real, name)(*args)
        if a != b or type(a) != type(b):
            return "%s%r: %r vs PyTorch's %r" % (name, args, a, b)
    return None


def main(argv):
    verbose = "-v" in argv
    warnings.filterwarnings("ignore")
    pats = [a for a in argv if a != "-v"]
    torch.set_num_threads(min(4, torch.get_num_threads()))
    passed = failed = 0
    t0 = time.time()
    if not pats or any(p in "utils" for p in pats):
        why = check_utils()
        if why:
            failed += 1
            print("FAIL torch.nn.modules.utils: %s" % why)
        else:
            passed += 1
            print("ok torch.nn.modules.utils (eager)")
    for case in cases():
        if pats and not any(p in case.name for p in pats):
            continue
        try:
            why = check_case(case, verbose)
        except Exception as e:
            why = "%s: %s" % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else "")
            if verbose:
                traceback.print_exc()
        if why:
            failed += 1
            print("FAIL %s: %s" % (case.name, why))
        else:
            passed += 1
            print("ok %s%s" % (case.name, " (%s)" % case.note if case.note else ""))
        sys.stdout.flush()
    print("%d passed, %d failed (%.1fs)" % (passed, failed, time.time() - t0))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
