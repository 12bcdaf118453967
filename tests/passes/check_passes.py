#!/usr/bin/python3
"""The load-time passes (src/runtime/optimize.c) against PyTorch.

    /usr/bin/python3 tests/passes/check_passes.py --cts build/cts [--keep DIR]

Each case is a small module built here with PyTorch, scripted and traced,
saved, and put in evaluation mode.  For each archive it checks

  * the graph cts runs (`cts graph --optimized`): what the passes must have
    removed or made (no batch_norm after a convolution, a cts::conv_act
    with the residual, no dropout, no calls, one relu where the source has
    two...) and what they must have kept (an attribute re-assigned by the
    code stays a read; a batch norm whose statistics the code changes in
    place is not folded; a computation repeated after an in-place write is
    not merged);
  * the result: `cts run` (passes on) and `cts run --no-optimize` both equal
    PyTorch's output on the same input, |a - b| <= 1e-5 + 1e-4 |b|
    (folding and fusion change float rounding only).

Prints PASS/FAIL per check and a summary line; exit 0 when all pass, 1 on a
failure, 77 when /usr/bin/python3 has no torch (CTS_REQUIRE_TORCH=1 makes
that a failure).
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("SKIP: torch is not importable by %s" % sys.executable)
    sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77)

from typing import List

torch.manual_seed(0)


def bn(c):
    b = nn.BatchNorm2d(c)
    with torch.no_grad():
        b.weight.uniform_(0.5, 1.5)
        b.bias.uniform_(-0.5, 0.5)
        b.running_mean.uniform_(-0.5, 0.5)
        b.running_var.uniform_(0.5, 2.0)
    return b


class ConvBnRelu(nn.Module):
    def __init__(self, cin=3, cout=16, k=3, stride=1, groups=1, bias=False, act=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=bias)
        self.bn = bn(cout)
        self.act = act if act is not None else nn.ReLU(inplace=True)

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class Residual(nn.Module):
    """ResNet's BasicBlock shape: conv-bn-relu, conv-bn, += identity, relu."""

    def __init__(self, c=16, k=3):
        super().__init__()
        self.a = ConvBnRelu(c, c, k)
        self.conv = nn.Conv2d(c, c, k, 1, k // 2, bias=False)
        self.bn = bn(c)

    def forward(self, x):
        out = self.bn(self.conv(self.a(x)))
        out += x
        return torch.relu(out)


class DownsampleResidual(nn.Module):
    """ResNet's block with a downsample computed after the second
    convolution (the fused node goes where the add was; scripted BatchNorm's
    dim() checks of the convolution's result are answered by its input)."""

    def __init__(self):
        super().__init__()
        self.a = ConvBnRelu(8, 16, 3, 2)
        self.conv = nn.Conv2d(16, 16, 3, 1, 1, bias=False)
        self.bn = bn(16)
        self.down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), bn(16))

    def forward(self, x):
        out = self.bn(self.conv(self.a(x)))
        identity = self.down(x)
        out += identity
        return torch.relu(out)


class BroadcastResidual(nn.Module):
    """The in-place add's other operand broadcasts: the fused op falls back to add_."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, padding=1)
        self.shift = nn.Parameter(torch.randn(8, 1, 1))

    def forward(self, x):
        y = self.conv(x)
        y += self.shift
        return F.relu(y)


class Activations(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(4, 8, 1)
        self.c2 = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.c3 = nn.Conv2d(8, 8, 3, padding=1)
        self.c4 = nn.Conv1d(8, 8, 3, padding=1)

    def forward(self, x):
        a = F.relu6(self.c1(x))            # 1x1: the GEMM's clamp
        b = F.hardtanh(self.c2(a), -0.5, 0.5)  # depthwise
        c = torch.clamp(self.c3(b), min=-0.25)  # direct, one bound
        d = F.relu(self.c4(c.flatten(2)))   # 1-D
        return a.sum() + b.sum() + c.sum() + d


class MoreActivations(nn.Module):
    """hardswish and hardsigmoid after each kernel kind; silu is not fused."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(4, 8, 1)                        # 1x1: after the GEMM
        self.c2 = nn.Conv2d(8, 8, 3, padding=1, groups=8)   # depthwise (row or channels-last kernel)
        self.c3 = nn.Conv2d(8, 8, 3, padding=1)             # direct
        self.c4 = nn.Conv2d(8, 8, 5, padding=2, groups=8, bias=False)
        self.bn = bn(8)

    def forward(self, x):
        a = F.hardswish(self.c1(x))
        b = F.hardsigmoid(self.c2(a))
        c = F.hardswish(self.c3(b))
        d = F.hardsigmoid(self.bn(self.c4(c)))
        return a + b + c + d + F.silu(self.c1(x))


class Dropouts(nn.Module):
    def __init__(self):
        super().__init__()
        self.d = nn.Dropout(0.5)
        self.d2 = nn.Dropout1d(0.3)
        self.f = nn.Linear(8, 8)
        self.i = nn.Identity()

    def forward(self, x):
        return self.i(self.d(self.f(self.d2(x.unsqueeze(-1)).squeeze(-1))))


class Counter(nn.Module):
    """An attribute the code re-assigns stays an attribute read."""

    def __init__(self):
        super().__init__()
        self.count = 0
        self.scale = 2.0

    def bump(self) -> int:
        self.count += 1
        return self.count

    def forward(self, x):
        self.bump()
        n = self.bump()
        return x * self.scale + n


class MutatedStats(nn.Module):
    """Batch-norm statistics changed in place by the code: no folding."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = bn(8)

    def forward(self, x):
        self.bn.running_mean.add_(1.0)
        return self.bn(self.conv(x))


class Repeated(nn.Module):
    def forward(self, x):
        a = torch.relu(x) + torch.relu(x)
        s = x.tanh()
        x.add_(1.0)
        t = x.tanh()         # after the write: not the same value
        return a + s + t


class FreshTensors(nn.Module):
    """Two equal factory calls, one result written in place: not merged."""

    def forward(self, x):
        a = torch.zeros(3)
        b = torch.zeros(3)
        a.add_(x)
        return a + b


class LoopWrite(nn.Module):
    """A write inside a loop: the loop's relu(x) is not the one before it."""

    def forward(self, x):
        a = torch.relu(x)
        acc = a
        for i in range(3):
            b = torch.relu(x)
            x.add_(1.0)
            acc = acc + b
        return acc


class ListAlias(nn.Module):
    """Two reads of one list attribute, an append between: len twice."""

    def __init__(self):
        super().__init__()
        self.history: List[int] = [1, 2]

    def forward(self, x):
        h = self.history
        n0 = len(h)
        self.history.append(3)
        n1 = len(h)
        return x + n0 * 10 + n1


class InsertAlias(nn.Module):
    """x goes into a list (insert) and is written through it."""

    def forward(self, x):
        l: List[torch.Tensor] = []
        y = x.exp()
        l.insert(0, x)
        l[0].add_(1.0)
        z = x.exp()
        return y + z


class DictAlias(nn.Module):
    """x is written through a dict's item."""

    def forward(self, x):
        d = {"k": x}
        y = x.exp()
        d["k"].add_(1.0)
        z = x.exp()
        return y + z


class TrainingNorm(nn.Module):
    """Training-mode batch norm updates its running mean at each call."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x):
        return self.bn(x) + self.bn(x), self.bn.running_mean


class ScaledByAnotherMethod(nn.Module):
    """Another method writes the batch norm's weight: no folding."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = bn(8)

    @torch.jit.export
    def scale(self, s: float):
        self.bn.weight.mul_(s)

    def forward(self, x):
        return self.bn(self.conv(x))


class UnbatchedResidual(nn.Module):
    """conv2d of an unbatched input, += a batched residual: PyTorch raises."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)

    def forward(self, x, r):
        y = self.conv(x)
        y += r
        return F.relu(y)


class Bn1dLinear(nn.Module):
    """batch_norm after a linear layer is left alone (no conv)."""

    def __init__(self):
        super().__init__()
        self.f = nn.Linear(8, 8)
        self.bn = nn.BatchNorm1d(8)

    def forward(self, x):
        return self.bn(self.f(x))


# What the passes remove from the method's own graph (the scripted one; the
# rest of the program is in the submodules' methods until inlined): present
# in the graph as loaded, absent from the optimized one.
REMOVED = {
    "conv_bn_relu": ["prim::GetAttr", "prim::CallMethod"],
    "residual": ["prim::CallMethod", "aten::add_", "aten::relu"],
    "dropouts": ["prim::CallMethod"],
    "counter": ["prim::CallMethod", 'name="scale"'],
}

CASES = [
    # name, module, input, traced too, graph checks: (description, predicate on the optimized graph)
    ("conv_bn_relu", ConvBnRelu(), (torch.randn(2, 3, 12, 12),), True, [
        ("no batch_norm", lambda g: "aten::batch_norm" not in g),
        ("no attribute read", lambda g: "prim::GetAttr" not in g),
        ("no relu left", lambda g: "aten::relu" not in g),
        ("one cts::conv_act", lambda g: g.count("cts::conv_act") == 1),
    ]),
    ("conv_bias_bn_relu6_stride2", ConvBnRelu(3, 16, 3, 2, bias=True, act=nn.ReLU6()), (torch.randn(1, 3, 15, 15),),
     True, [("fused", lambda g: g.count("cts::conv_act") == 1 and "hardtanh" not in g and "batch_norm" not in g)]),
    ("depthwise_bn_relu6", ConvBnRelu(16, 16, 3, 1, groups=16, act=nn.ReLU6()), (torch.randn(1, 16, 9, 9),), True,
     [("fused", lambda g: g.count("cts::conv_act") == 1 and "batch_norm" not in g)]),
    ("residual", Residual(), (torch.randn(1, 16, 10, 10),), True, [
        ("two fused convolutions", lambda g: g.count("cts::conv_act") == 2),
        ("no add_ or relu left", lambda g: "aten::add_" not in g and "aten::relu" not in g),
    ]),
    ("pointwise_residual", Residual(16, 1), (torch.randn(2, 16, 7, 7),), True, [
        ("two fused convolutions", lambda g: g.count("cts::conv_act") == 2 and "aten::add_" not in g),
    ]),
    ("downsample_residual", DownsampleResidual(), (torch.randn(1, 8, 10, 10),), True, [
        ("both block convolutions fused, the add too", lambda g: g.count("cts::conv_act") == 2
         and "aten::add_" not in g and "batch_norm" not in g),
    ]),
    ("broadcast_residual", BroadcastResidual(), (torch.randn(1, 4, 6, 6),), True, [
        ("fused (the kernel falls back to add_)", lambda g: g.count("cts::conv_act") == 1),
    ]),
    ("activations", Activations(), (torch.randn(1, 4, 6, 6) * 3,), True, [
        ("every convolution fused", lambda g: g.count("cts::conv_act") == 4 and "hardtanh" not in g
         and "aten::clamp" not in g),
    ]),
    ("more_activations_narrow", MoreActivations(), (torch.randn(1, 4, 6, 6) * 3,), True, [
        ("every convolution but the one before silu fused", lambda g: g.count("cts::conv_act") == 4
         and "hardswish" not in g and "hardsigmoid" not in g and "silu" in g),
    ]),
    ("more_activations_wide", MoreActivations(), (torch.randn(2, 4, 5, 40) * 3,), True, [
        ("every convolution fused", lambda g: g.count("cts::conv_act") == 4),
    ]),
    ("more_activations_double", MoreActivations().double(), (torch.randn(1, 4, 6, 20, dtype=torch.double) * 3,),
     True, [("fused (the kernel falls back to the ops for float64); float64 batch norm not folded",
             lambda g: g.count("cts::conv_act") == 3 and g.count("aten::batch_norm") == 1)]),
    ("dropouts", Dropouts(), (torch.randn(4, 8),), True, [
        ("no dropout", lambda g: "dropout(" not in g and "dropout_(" not in g),
        ("no calls", lambda g: "prim::CallMethod" not in g and "prim::CallFunction" not in g),
    ]),
    ("counter", Counter(), (torch.randn(3),), False, [
        ("the re-assigned attribute is still read and written", lambda g: 'prim::GetAttr[name="count"]' in g
         and 'prim::SetAttr[name="count"]' in g),
        ("the constant one is not read", lambda g: 'name="scale"' not in g),
        ("no calls", lambda g: "prim::CallMethod" not in g),
    ]),
    ("mutated_stats", MutatedStats(), (torch.randn(1, 3, 8, 8),), False, [
        ("batch_norm kept", lambda g: "aten::batch_norm" in g),
    ]),
    ("repeated", Repeated(), (torch.randn(5),), False, [
        ("relu computed once", lambda g: g.count("aten::relu(") == 1),
        ("tanh before and after the write both kept", lambda g: g.count("aten::tanh(") == 2),
    ]),
    ("fresh_tensors", FreshTensors(), (torch.randn(3),), False, [
        ("both zeros kept", lambda g: g.count("aten::zeros(") == 2),
    ]),
    ("loop_write", LoopWrite(), (torch.randn(5),), False, [
        ("both relu kept", lambda g: g.count("aten::relu(") == 2),
    ]),
    ("list_alias", ListAlias(), (torch.randn(3),), False, []),
    ("insert_alias", InsertAlias(), (torch.randn(3),), False, [
        ("both exp kept", lambda g: g.count("aten::exp(") == 2),
    ]),
    ("dict_alias", DictAlias(), (torch.randn(3),), False, [
        ("both exp kept", lambda g: g.count("aten::exp(") == 2),
    ]),
    ("train_norm", TrainingNorm(), (torch.randn(2, 4, 3, 3),), False, [
        ("both batch_norm kept", lambda g: g.count("aten::batch_norm(") == 2),
    ]),
    ("scaled_by_another_method", ScaledByAnotherMethod(), (torch.randn(1, 3, 6, 6),), False, [
        ("batch_norm kept", lambda g: "aten::batch_norm" in g),
    ]),
    ("unbatched_residual", UnbatchedResidual(), (torch.randn(4, 5, 5), torch.randn(1, 4, 5, 5)), False, []),
    ("bn1d_after_linear", Bn1dLinear(), (torch.randn(4, 8),), True, [
        ("batch_norm kept", lambda g: "aten::batch_norm" in g),
    ]),
]


def run(argv, timeout=120):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def close(a, b):
    if isinstance(b, torch.Tensor):
        return (isinstance(a, torch.Tensor) and a.shape == b.shape and a.dtype == b.dtype
                and bool(((a - b).abs() <= 1e-5 + 1e-4 * b.abs()).all()))
    if isinstance(b, (tuple, list)):
        return isinstance(a, (tuple, list)) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cts", required=True)
    ap.add_argument("--keep", help="write the archives here instead of a temporary folder")
    a = ap.parse_args()
    failed = total = 0

    def report(ok, line, detail=""):
        nonlocal failed, total
        total += 1
        failed += not ok
        print(("PASS " if ok else "FAIL ") + line)
        if not ok and detail:
            print("  " + detail.replace("\n", "\n  "))

    with tempfile.TemporaryDirectory(prefix="cts-passes-") as tmp:
        d = a.keep or tmp
        os.makedirs(d, exist_ok=True)
        for name, mod, inputs, traced, checks in CASES:
            if not name.startswith("train_"):
                mod.eval()
            kinds = [("scripted", torch.jit.script(mod))]
            if traced:
                kinds.append(("traced", torch.jit.trace(mod, tuple(x.clone() for x in inputs), check_trace=False)))
            for kind, sm in kinds:
                path = os.path.join(d, "%s.%s.pt" % (name, kind))
                sm.save(path)
                args = os.path.join(d, "%s.args.pt" % name)
                torch.save(tuple(inputs), args)
                try:
                    expected = torch.jit.load(path)(*[x.clone() for x in inputs])
                except Exception as e:  # noqa: BLE001 (PyTorch's refusal is the expected result)
                    expected = e
                rc, graph, err = run([a.cts, "graph", path, "--optimized"])
                label = "%s/%s" % (name, kind)
                if rc != 0:
                    report(False, label + " graph --optimized", err)
                    continue
                rc, before, err = run([a.cts, "graph", path])
                for what in REMOVED.get(name, []) if kind == "scripted" else []:
                    report(what in before and what not in graph, "%s: %s in the loaded graph, not in the optimized one"
                           % (label, what), "loaded:\n%s\noptimized:\n%s" % (before, graph))
                for desc, pred in checks:
                    if kind == "traced" and desc.startswith("the re-assigned"):
                        continue
                    report(pred(graph), "%s graph: %s" % (label, desc), graph)
                for flag in ([], ["--no-optimize"]):
                    out = os.path.join(d, "%s.%s.out.pt" % (name, kind))
                    rc, _, err = run([a.cts, "run", path, "--args", args, "--output", out] + flag)
                    what = "%s result%s" % (label, " (--no-optimize)" if flag else "")
                    if isinstance(expected, Exception):
                        report(rc != 0 and "Traceback" not in err and "error" in err,
                               what + ": an error, as PyTorch's (%s)" % str(expected).splitlines()[0][:60], err)
                        continue
                    if rc != 0:
                        report(False, what, err)
                        continue
                    got = torch.load(out)
                    report(close(got, expected), what + " equals PyTorch's", "got %r\nexpected %r" % (got, expected))
    print("%d checks, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
