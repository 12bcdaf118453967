#!/usr/bin/python3
"""Shared machinery of the kernel case generators (gen_nn_cases.py,
gen_more_cases.py): input tensors described by a value generator that
case_runner.h reproduces exactly, the argument spec both sides parse, the
call of the op through torch.ops, and the C header writer.

Spec tokens (separated by spaces): t0.. input tensor, n None, b0/b1 bool,
i<int>, f<float>, l<ints,> int list, F<floats,> float list, s<str>,
T<indices or n,> a Tensor?[] list of inputs and Nones.
"""
import math
import sys

import torch

NAN, INF = float("nan"), float("inf")

DT = {
    "u8": (torch.uint8, "CT_UINT8"),
    "i8": (torch.int8, "CT_INT8"),
    "i16": (torch.int16, "CT_INT16"),
    "i32": (torch.int32, "CT_INT32"),
    "i64": (torch.int64, "CT_INT64"),
    "f16": (torch.float16, "CT_FLOAT16"),
    "f32": (torch.float32, "CT_FLOAT32"),
    "f64": (torch.float64, "CT_FLOAT64"),
    "b": (torch.bool, "CT_BOOL"),
    "bf16": (torch.bfloat16, "CT_BFLOAT16"),
}
CT_OF = {v[0]: v[1] for v in DT.values()}


def gen_values(kind, n, seed, p1, p2):
    """Value generators; test_nn.c's gen_value() is the same arithmetic."""
    out = []
    for i in range(n):
        h = (i * 7919 + seed * 104729 + 17) % 1000003
        if kind == 0:  # signed sixteenths in [-8, 8], exact in every float dtype
            v = (h % 257 - 128) / 16.0
        elif kind == 1:  # positive, for variances
            v = (h % 61 + 1) / 16.0
        elif kind == 2:  # integers in [p1, p1 + p2)
            v = float(p1 + h % p2)
        elif kind == 3:  # few distinct values: ties
            v = float(h % 5 - 2)
        elif kind == 4:  # kind 0 with NaN and infinities
            if h % 17 == 0:
                v = NAN
            elif h % 19 == 0:
                v = INF
            elif h % 23 == 0:
                v = -INF
            else:
                v = (h % 257 - 128) / 16.0
        elif kind == 5:  # sixteenths in [0, 1] (probabilities)
            v = (h % 17) / 16.0
        else:
            raise ValueError(kind)
        out.append(v)
    return out


class T:
    """An input tensor: layout 0 contiguous, 1 channels-last (4-D), 2 last
    two dims transposed (a non-contiguous view)."""

    def __init__(self, shape, dt="f32", kind=0, seed=0, p1=0, p2=1, layout=0):
        if dt not in ("f16", "f32", "f64", "bf16") and kind == 0:
            kind = 2  # zeros unless asked otherwise
        self.shape, self.dt, self.kind, self.seed, self.p1, self.p2, self.layout = (
            list(shape), dt, kind, seed, p1, p2, layout)

    def make(self, dt=None):
        n = math.prod(self.shape)
        vals = gen_values(self.kind, n, self.seed, self.p1, self.p2)
        t = torch.tensor(vals, dtype=torch.float64).reshape(self.shape).to(DT[dt or self.dt][0])
        if self.layout == 1:
            t = t.contiguous(memory_format=torch.channels_last)
        elif self.layout == 2:
            t = t.transpose(-1, -2).contiguous().transpose(-1, -2)
        return t

    def c(self):
        shape = ", ".join(str(s) for s in self.shape) or "0"
        return "{%s, %d, {%s}, %d, %d, %d, %d, %d}" % (
            DT[self.dt][1], len(self.shape), shape, self.kind, self.seed, self.p1, self.p2, self.layout)


def parse_args(spec, ts):
    out = []
    for tok in spec.split(" ") if spec else []:
        c, rest = tok[0], tok[1:]
        if c == "t":
            out.append(ts[int(rest)])
        elif c == "n":
            out.append(None)
        elif c == "b":
            out.append(rest == "1")
        elif c == "i":
            out.append(int(rest))
        elif c == "f":
            out.append(float(rest))
        elif c == "l":
            out.append([int(x) for x in rest.split(",")] if rest else [])
        elif c == "F":
            out.append([float(x) for x in rest.split(",")] if rest else [])
        elif c == "s":
            out.append(rest)
        elif c == "T":  # Tensor?[]: input indices or n
            out.append([None if x == "n" else ts[int(x)] for x in rest.split(",")] if rest else [])
        else:
            raise ValueError(tok)
    return out


def op_of(key):
    ns, name = key.split("::")
    name, _, overload = name.partition(".")
    return getattr(getattr(getattr(torch.ops, ns), name), overload or "default")


CASES = []
VALS = []


def fmt(vs):
    v, short = vs
    if math.isnan(v):
        return "NAN"
    if math.isinf(v):
        return "INFINITY" if v > 0 else "-INFINITY"
    if v == int(v) and abs(v) < 2**53:
        return "%d" % v
    return "%.8g" % v if short else repr(v)


def add_vals(t):
    """Appends t's values; float32 and narrower print with 8 digits."""
    off = len(VALS)
    flat = t.detach().reshape(-1)
    short = flat.dtype in (torch.float32, torch.float16, torch.bfloat16)
    vals = [float(x) for x in flat.double().tolist()]
    VALS.extend((v, short) for v in vals)
    return off, flat.numel()


def call(key, args):
    """Calls the op, passing keyword-only schema arguments by name."""
    op = op_of(key)
    pos, kw = [], {}
    for a, v in zip(op._schema.arguments, args):
        if a.kwarg_only:
            kw[a.name] = v
        else:
            pos.append(v)
    return op(*pos, **kw)


def run(key, spec, ts, half_as_float, low_as_float=False):
    inputs = [t.make() for t in ts]
    args = parse_args(spec, inputs)
    try:
        if low_as_float:
            raise RuntimeError("computed in float32: 'BFloat16'")
        r = call(key, args)
        return inputs, r, None
    except Exception as e:  # noqa: BLE001 - any PyTorch error is an expected message
        msg = str(e).split("\n")[0]
        if half_as_float and any(t.dt in ("f16", "bf16") for t in ts) and ("'Half'" in msg or "'BFloat16'" in msg):
            inputs = [t.make("f32" if t.dt in ("f16", "bf16") else None) for t in ts]
            args = parse_args(spec, inputs)
            r = call(key, args)
            low = [torch.float16 if t.dt == "f16" else torch.bfloat16 for t in ts if t.dt in ("f16", "bf16")][0]

            def back(x):
                return x.to(low) if isinstance(x, torch.Tensor) and x.dtype == torch.float32 else x

            r = tuple(back(x) for x in r) if isinstance(r, tuple) else back(r)
            inputs = [back(x) if t.dt in ("f16", "bf16") else x for t, x in zip(ts, inputs)]
            return inputs, r, None
        return inputs, None, msg


def case(key, spec, *ts, post=(), half_as_float=True, low_as_float=False, err=None):
    """post: input indices whose values after the call are checked too;
    low_as_float: expect the float32 result rounded (where PyTorch rounds
    intermediate results to bfloat16 and cts does not)."""
    inputs, r, msg = run(key, spec, list(ts), half_as_float, low_as_float)
    if err is not None:  # cts's own message where PyTorch's comes from undefined behaviour
        msg = err
    outs = []
    same = 0
    if msg is None:
        rs = list(r) if isinstance(r, tuple) else [r]
        for j, x in enumerate(rs):
            outs.append((j, x))
        if inputs and isinstance(r, torch.Tensor) and r is inputs[0]:
            same = 1
        for i in post:
            outs.append((10 + i, inputs[i]))
    CASES.append((key, spec, ts, outs, same, msg))


def emit(header="nn_cases.h", script="gen_nn_cases.py", prefix="NN"):
    w = sys.stdout.write
    w("/* %s - generated by tests/ops/%s with PyTorch %s; do not edit. */\n" % (header, script, torch.__version__))
    w("/* clang-format off */\n")
    rows = []
    for key, spec, ts, outs, same, msg in CASES:
        ins = ", ".join(t.c() for t in ts) or "{0}"
        ostr = []
        for src, x in outs:
            off, n = add_vals(x)
            shape = ", ".join(str(s) for s in x.shape) or "0"
            ostr.append("{%d, %s, %d, {%s}, %d, %d}" % (src, CT_OF[x.dtype], x.dim(), shape, off, n))
        err = "NULL" if msg is None else '"%s"' % msg.replace("\\", "\\\\").replace('"', '\\"')
        rows.append('    {"%s", "%s", %d, {%s}, %d, {%s}, %d, %s},\n' % (
            key, spec, len(ts), ins, len(outs), ", ".join(ostr) or "{0}", same, err))
    w("static const double %s_V[] = {\n" % prefix)
    for i in range(0, len(VALS), 8):
        w("    " + ", ".join(fmt(v) for v in VALS[i:i + 8]) + ",\n")
    if not VALS:
        w("    0,\n")
    w("};\n")
    w("static const nn_case %s_CASES[] = {\n" % prefix)
    for r in rows:
        w(r)
    w("};\n")
