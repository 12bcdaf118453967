#!/usr/bin/python3
"""Judge `cts run` against PyTorch on one model of the corpus written by
gen_models.py (issue 4).

    /usr/bin/python3 check_models.py --cts build/cts --dir build/models \
        --model resnet18 --kind scripted|traced [--threads N] [--timeout S] [--check-save]

Runs `cts run M.<kind>.pt --args M.args.pt --output TMP/out.pt` and compares
torch.load(TMP/out.pt) with M.<kind>.out.pt, PyTorch's result from the loaded
archive, under the rule of issue 4:

  * structure equal: tuples and lists (a NamedTuple counts as a tuple; the
    generator saved PyTorch's as plain tuples) of equal length, the same
    Python type for scalars;
  * Tensors: same dtype and shape; integer and bool tensors exactly equal;
    float tensors elementwise |a - b| <= atol + rtol * |b| with rtol = 1e-4
    and atol = 1e-4 * max|b| over that tensor (b the expected value); NaN
    where, and only where, PyTorch has NaN; the same infinities;
  * int, bool, str, None equal; a float within the same rule (atol 1e-4 * |b|).

With --check-trace it judges `cts trace M.<kind>.pt --args M.args.pt --save
T.pt`: PyTorch loads T.pt and returns M.<kind>.out.pt under the rule below,
and the traced forward calls its submodules (prim::CallMethod).
With --check-save it judges `cts save` instead: saving the archive twice
gives identical bytes, torch.jit.load reads the copy, and PyTorch's output
for it equals M.<kind>.out.pt exactly (tolerance 0).

Prints one line `PASS|FAIL <model>/<kind>: ... max abs err A, max rel err R,
S s` (rel = |a - b| / max|b| of the tensor), details of a failure after it.
Exit status: 0 pass, 1 fail, 2 usage or missing corpus, 77 when
/usr/bin/python3 has no torch (SKIP; with CTS_REQUIRE_TORCH=1, that is 1).
The process runner and sanitizer checks come from tests/conformance/check.py.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "conformance"))
import check as conf  # noqa: E402  (run_cts, Result, need_torch, _describe, _unravel)

RTOL = 1e-4
ATOL_SCALE = 1e-4

torch = None


class Stats:
    def __init__(self):
        self.max_abs = 0.0
        self.max_rel = 0.0


def _cmp_float(a, e, path, st):
    shape = list(e.shape)
    a = a.detach().to(torch.float64).reshape(-1)
    e = e.detach().to(torch.float64).reshape(-1)
    enan, anan = torch.isnan(e), torch.isnan(a)
    einf, ainf = torch.isinf(e), torch.isinf(a)
    bad = (enan != anan) | (einf & (a != e)) | (ainf & ~einf)
    finite = ~enan & ~einf & ~anan & ~ainf
    scale = float(e[~enan & ~einf].abs().max()) if bool((~enan & ~einf).any()) else 0.0
    atol = ATOL_SCALE * scale
    diff = torch.zeros_like(a)
    diff[finite] = (a[finite] - e[finite]).abs()
    bad |= diff > atol + RTOL * e.abs().nan_to_num(0.0, 0.0, 0.0)
    if diff.numel():
        m = float(diff.max())
        st.max_abs = max(st.max_abs, m)
        if scale > 0:
            st.max_rel = max(st.max_rel, m / scale)
        elif m > 0:
            st.max_rel = math.inf
    if bool(bad.any()):
        i = int(bad.nonzero()[0])
        return "%s: %d of %d elements outside atol %.3g + rtol %g*|expected|; first at index %s: got %r, expected %r" % (
            path, int(bad.sum()), bad.numel(), atol, RTOL, list(conf._unravel(i, shape)),
            float(a[i]), float(e[i]))
    return None


def compare(actual, expected, st, path="result"):
    """None when actual matches expected under the rule of the module doc,
    else a one-line description of the first difference."""
    if isinstance(expected, torch.Tensor):
        if not isinstance(actual, torch.Tensor):
            return "%s: expected %s, got %s" % (path, conf._describe(expected), conf._describe(actual))
        if actual.dtype != expected.dtype:
            return "%s: dtype %s, expected %s" % (path, actual.dtype, expected.dtype)
        if tuple(actual.shape) != tuple(expected.shape):
            return "%s: shape %s, expected %s" % (path, list(actual.shape), list(expected.shape))
        if expected.is_floating_point():
            return _cmp_float(actual, expected, path, st)
        if expected.is_complex():
            return _cmp_float(torch.view_as_real(actual), torch.view_as_real(expected), path, st)
        if not torch.equal(actual, expected):
            ne = (actual != expected).reshape(-1)
            i = int(ne.nonzero()[0])
            return "%s: %d of %d elements differ; first at index %s: got %r, expected %r" % (
                path, int(ne.sum()), ne.numel(), list(conf._unravel(i, list(expected.shape))),
                actual.reshape(-1)[i].item(), expected.reshape(-1)[i].item())
        return None
    if isinstance(expected, tuple):   # NamedTuples are tuples
        expected = tuple(expected)
        if isinstance(actual, tuple):
            actual = tuple(actual)
    if type(actual) is not type(expected):
        return "%s: expected %s, got %s" % (path, conf._describe(expected), conf._describe(actual))
    if isinstance(expected, (tuple, list)):
        if len(actual) != len(expected):
            return "%s: %s of length %d, expected length %d" % (path, type(expected).__name__, len(actual), len(expected))
        for i, (a, e) in enumerate(zip(actual, expected)):
            r = compare(a, e, st, "%s[%d]" % (path, i))
            if r:
                return r
        return None
    if isinstance(expected, dict):
        if list(actual) != list(expected):
            return "%s: dict keys %r, expected %r" % (path, list(actual), list(expected))
        for k in expected:
            r = compare(actual[k], expected[k], st, "%s[%r]" % (path, k))
            if r:
                return r
        return None
    if isinstance(expected, float):
        if math.isnan(expected) or math.isinf(expected):
            ok = (math.isnan(expected) and math.isnan(actual)) or actual == expected
        else:
            ok = abs(actual - expected) <= (ATOL_SCALE + RTOL) * abs(expected)
        return None if ok else "%s: got %r, expected %r" % (path, actual, expected)
    return None if actual == expected else "%s: got %r, expected %r" % (path, actual, expected)


def _plain(v):
    """NamedTuples as plain tuples, as the generator saved PyTorch's output."""
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def check_save(cts, archive, args_path, expected_path, label, timeout):
    """`cts save` twice gives identical bytes; PyTorch loads the copy and,
    called as the generator called the original, returns exactly (tolerance
    0) the original's output."""
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="cts-models-save-") as tmp:
        saved, fail = conf.cts_save_twice(cts, archive, tmp, timeout)
        if fail:
            print("FAIL %s save: %s" % (label, fail[0]))
            if fail[1]:
                print(fail[1])
            return 1
        size = os.path.getsize(saved)
        try:
            m = torch.jit.load(saved)
        except Exception as e:  # noqa: BLE001 - any load failure is the finding
            print("FAIL %s save: torch.jit.load of cts's archive failed: %s: %s" % (label, type(e).__name__, e))
            return 1
        got = _plain(m(*torch.load(args_path)))
    diff = conf.compare_values(got, torch.load(expected_path, map_location="cpu"), 0.0)
    if diff:
        print("FAIL %s save: PyTorch's output of cts's archive: %s" % (label, diff))
        return 1
    print("PASS %s save: identical bytes twice (%d), PyTorch loads it and returns the original's output exactly "
          "(%.1f s)" % (label, size, time.time() - t0))
    return 0


def check_trace(cts, archive, args_path, expected_path, label, timeout):
    """`cts trace` the archive on its example inputs and save the result:
    PyTorch loads it, and its output on those inputs is the original's under
    the zoo's rule; the traced forward keeps the module hierarchy (a model
    with submodules calls them with prim::CallMethod)."""
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="cts-models-trace-") as tmp:
        out = os.path.join(tmp, "traced.pt")
        r = conf.run_cts(cts, ["trace", archive, "--args", args_path, "--save", out], timeout)
        why = r.problem()
        if why or not os.path.isfile(out):
            print("FAIL %s trace: cts trace failed: %s" % (label, why or "no file written"))
            print(r.show())
            return 1
        has_children = len(list(torch.jit.load(archive).children())) > 0
        if has_children and "prim::CallMethod" not in r.out:
            print("FAIL %s trace: the traced forward calls no submodule (prim::CallMethod)" % label)
            return 1
        try:
            m = torch.jit.load(out)
            got = _plain(m(*torch.load(args_path)))
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            print("FAIL %s trace: PyTorch on cts's traced archive: %s: %s" % (label, type(e).__name__, e))
            return 1
    st = Stats()
    diff = compare(got, torch.load(expected_path, map_location="cpu"), st)
    if diff:
        print("FAIL %s trace: %s" % (label, diff))
        return 1
    print("PASS %s trace: PyTorch runs the traced archive with the original's output (max rel err %.3g, %.1f s)" % (
        label, st.max_rel, time.time() - t0))
    return 0


def main(argv):
    global torch
    ap = argparse.ArgumentParser(description="Compare cts with PyTorch on one model of the zoo.")
    ap.add_argument("--cts", required=True, help="path of the cts executable")
    ap.add_argument("--dir", required=True, help="the directory gen_models.py wrote")
    ap.add_argument("--model", required=True)
    ap.add_argument("--kind", required=True, choices=("scripted", "traced"))
    ap.add_argument("--threads", type=int, default=0, help="pass --threads N to cts run (default: cts's default)")
    ap.add_argument("--check-save", action="store_true",
                    help="judge `cts save` instead of `cts run` (see check_save)")
    ap.add_argument("--check-trace", action="store_true",
                    help="judge `cts trace` instead of `cts run` (see check_trace)")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("CTS_CHECK_TIMEOUT", "900")),
                    help="seconds allowed for the cts run (default 900)")
    a = ap.parse_args(argv)
    conf.need_torch()
    torch = conf.torch
    label = "%s/%s" % (a.model, a.kind)

    try:
        with open(os.path.join(a.dir, a.model + ".json")) as f:
            entry = json.load(f)
        kind = entry["kinds"][a.kind]
    except (OSError, ValueError, KeyError) as e:
        print("ERROR %s: no corpus entry %s/%s.json (did gen_models.py run?): %s" % (label, a.dir, a.model, e))
        return 2
    if not (os.path.isfile(a.cts) and os.access(a.cts, os.X_OK)):
        print("FAIL %s: cts executable %s not found" % (label, a.cts))
        return 1
    archive = os.path.join(a.dir, kind["archive"])
    args_path = os.path.join(a.dir, entry["files"]["args"])
    if a.check_trace:
        return check_trace(os.path.abspath(a.cts), archive, args_path, os.path.join(a.dir, kind["output"]), label,
                           a.timeout)
    if a.check_save:
        return check_save(os.path.abspath(a.cts), archive, args_path, os.path.join(a.dir, kind["output"]), label,
                          a.timeout)
    with tempfile.TemporaryDirectory(prefix="cts-models-") as tmp:
        out_path = os.path.join(tmp, "out.pt")
        cmd = ["run", archive, "--args", args_path, "--output", out_path]
        if a.threads:
            cmd += ["--threads", str(a.threads)]
        t0 = time.time()
        r = conf.run_cts(os.path.abspath(a.cts), cmd, a.timeout)
        secs = time.time() - t0
        why = r.problem()
        if why:
            first = next((ln for ln in r.err.splitlines() if ln.strip()), "")
            print("FAIL %s: cts failed: %s: %s (%.1f s)" % (label, why, first, secs))
            print(r.show())
            return 1
        if not os.path.exists(out_path):
            print("FAIL %s: cts wrote no --output file (%.1f s)" % (label, secs))
            print(r.show())
            return 1
        try:
            actual = torch.load(out_path, map_location="cpu")
        except Exception as e:  # noqa: BLE001 - any failure to read is the finding
            print("FAIL %s: torch.load cannot read cts's output: %s: %s" % (label, type(e).__name__, e))
            return 1
    expected = torch.load(os.path.join(a.dir, kind["output"]), map_location="cpu")
    st = Stats()
    diff = compare(actual, expected, st)
    errs = "max abs err %.3g, max rel err %.3g, %.1f s" % (st.max_abs, st.max_rel, secs)
    if diff:
        print("FAIL %s: %s (%s)" % (label, diff, errs))
        print("    expected %s" % kind.get("output_desc", ""))
        return 1
    print("PASS %s: %s (%s)" % (label, kind.get("output_desc", ""), errs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
