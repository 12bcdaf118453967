#!/usr/bin/python3
"""Judge the `cts` command against PyTorch on one case of the corpus written by
gen_tutorial.py.

    /usr/bin/python3 check.py --cts build/cts --dir build/conformance --case foo_traced \
        [--check-run] [--check-graph] [--check-code] [--check-info] [--check-save] [--check-trace] [--timeout S]

With no --check-* switch every check runs. One line per check starts with
PASS or FAIL; details (a diff, the mismatching element, cts's stderr) follow
a FAIL. Exit status: 0 when every selected check passed, 1 when one failed,
2 for a usage or corpus error, 77 when /usr/bin/python3 has no torch (ctest
SKIP_RETURN_CODE; with CTS_REQUIRE_TORCH=1 in the environment that is 1).

The checks, for every method listed for the case in manifest.json:

run    For every input set N: `cts run <case>.pt [--method M] --args
       <case>.argsN.pt --output TMP/outN.pt` (--method only when M is not
       `forward`, so the default is exercised). Passes when cts exits 0,
       stderr holds no sanitizer report, stdout is not empty (the printed
       result; its format is not compared), and torch.load(TMP/outN.pt)
       equals torch.load(<case>.outN.pt) under the rule below.
graph  `cts graph <case>.pt [--method M]`: exit 0, and
       normalize_graph.normalize(stdout) == normalize(<case>.graph.txt), the
       graph PyTorch prints for the loaded archive. On a mismatch a unified
       diff of the normalized texts is printed.
code   `cts code <case>.pt [--method M]`: exit 0 and stdout equals
       <case>.code.txt (PyTorch's `.code` of the loaded archive) exactly, after
       right-stripping every line and dropping trailing blank lines. `.code`
       has no numeric value names, so nothing else is normalized.
info   `cts info <case>.pt`: exit 0; the lines of PyTorch's `print(module)`
       (<case>.info.txt, the module tree with `original_name=`) appear in
       stdout as consecutive lines (each compared right-stripped); for
       every parameter and buffer some line of stdout holds its dotted name,
       its sizes in order (`4, 4`, `[4, 4]`, `4x4`: digits separated by
       non-digits) and its dtype (`float32` or `float`, case-insensitive);
       some line holds the word `version` and the archive's version number;
       and every aten op of the module's inlined graph (manifest `ops`, e.g.
       `aten::linear`) appears, optionally with an overload (`aten::add.Tensor`).
save   `cts save <case>.pt` twice, into two folders under the same file
       name: exit 0 and identical bytes; torch.jit.load reads the copy, and
       every method returns, for every input set, exactly (tolerance 0)
       PyTorch's output for the original archive.
trace  `cts trace <case>.pt --args <first input set> --save T.pt`: exit 0;
       torch.jit.load(T.pt) returns the expected output for that input set
       (the rule below) and, for cases whose archive was traced (name with
       `trace`: control flow only inside scripted functions, which stay
       calls), for every input set.

Value comparison (compare_values), the rule of issue 2:
  * structure exactly: tuple vs list vs dict, equal lengths, dict keys equal
    and in the same order, the same Python type for scalars (bool, int, float,
    str, None are distinct);
  * int, bool, str, None: equal;
  * float: both NaN, or the same infinity, or |a - b| <= 1e-5;
  * Tensor: same dtype, same shape (strides and requires_grad are ignored);
    integer and bool tensors equal element by element; floating tensors:
    NaN exactly where expected is NaN, the same infinities, elsewhere
    |a - b| <= 1e-5 (absolute; no relative term); complex tensors: that rule
    on the real and imaginary parts.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import normalize_graph  # noqa: E402

SKIP_RC = 77
FLOAT_ABS_TOL = 1e-5
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                     "ThreadSanitizer", "MemorySanitizer", "runtime error:")

torch = None


def need_torch():
    global torch
    try:
        import torch as t
    except ImportError as e:
        print("SKIP: %s cannot import torch (%s)" % (sys.executable, e))
        sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC)
    torch = t


# --------------------------------------------------------------------------
# Value comparison
# --------------------------------------------------------------------------

def _describe(v):
    if torch is not None and isinstance(v, torch.Tensor):
        return "Tensor(shape=%s, dtype=%s)" % (list(v.shape), str(v.dtype).replace("torch.", ""))
    return "%s %r" % (type(v).__name__, v) if not isinstance(v, (tuple, list, dict)) \
        else "%s of %d" % (type(v).__name__, len(v))


def _compare_float_tensors(actual, expected, tol, path):
    a = actual.detach().to(torch.float64).reshape(-1)
    e = expected.detach().to(torch.float64).reshape(-1)
    enan, anan = torch.isnan(e), torch.isnan(a)
    bad = enan != anan
    einf = torch.isinf(e)
    bad |= einf & (a != e)
    bad |= torch.isinf(a) & ~einf
    finite = ~enan & ~einf & ~anan & ~torch.isinf(a)
    diff = torch.zeros_like(a)
    diff[finite] = (a[finite] - e[finite]).abs()
    bad |= diff > tol
    if bool(bad.any()):
        i = int(bad.nonzero()[0])
        idx = list(_unravel(i, list(expected.shape)))
        maxdiff = float(diff.max()) if diff.numel() else 0.0
        return "%s: %d of %d elements differ by more than %g (max |diff| %.3g); first at index %s: got %r, expected %r" % (
            path, int(bad.sum()), bad.numel(), tol, maxdiff, idx, float(a[i]), float(e[i]))
    return None


def _unravel(i, shape):
    out = []
    for s in reversed(shape):
        out.append(i % s if s else 0)
        i //= s if s else 1
    return reversed(out)


def compare_values(actual, expected, tol=FLOAT_ABS_TOL, path="result"):
    """Return None when `actual` matches `expected` under the rule in the
    module doc, else a one-line description of the first difference."""
    if torch is not None and isinstance(expected, torch.Tensor):
        if not isinstance(actual, torch.Tensor):
            return "%s: expected %s, got %s" % (path, _describe(expected), _describe(actual))
        if actual.dtype != expected.dtype:
            return "%s: dtype %s, expected %s" % (path, actual.dtype, expected.dtype)
        if tuple(actual.shape) != tuple(expected.shape):
            return "%s: shape %s, expected %s" % (path, list(actual.shape), list(expected.shape))
        if expected.is_complex():
            return _compare_float_tensors(torch.view_as_real(actual.resolve_conj()),
                                          torch.view_as_real(expected.resolve_conj()), tol, path)
        if expected.is_floating_point():
            return _compare_float_tensors(actual, expected, tol, path)
        if not torch.equal(actual.cpu(), expected.cpu()):
            ne = (actual.cpu() != expected.cpu()).reshape(-1)
            i = int(ne.nonzero()[0])
            return "%s: %d of %d elements differ; first at index %s: got %r, expected %r" % (
                path, int(ne.sum()), ne.numel(), list(_unravel(i, list(expected.shape))),
                actual.reshape(-1)[i].item(), expected.reshape(-1)[i].item())
        return None
    if type(actual) is not type(expected):
        return "%s: expected %s, got %s" % (path, _describe(expected), _describe(actual))
    if isinstance(expected, (tuple, list)):
        if len(actual) != len(expected):
            return "%s: %s of length %d, expected length %d" % (path, type(expected).__name__, len(actual), len(expected))
        for i, (a, e) in enumerate(zip(actual, expected)):
            r = compare_values(a, e, tol, "%s[%d]" % (path, i))
            if r:
                return r
        return None
    if isinstance(expected, dict):
        if list(actual.keys()) != list(expected.keys()):
            return "%s: dict keys %r, expected %r (in this order)" % (path, list(actual.keys()), list(expected.keys()))
        for k in expected:
            r = compare_values(actual[k], expected[k], tol, "%s[%r]" % (path, k))
            if r:
                return r
        return None
    if isinstance(expected, float):
        if math.isnan(expected) and math.isnan(actual):
            return None
        if math.isinf(expected) or math.isinf(actual) or math.isnan(actual) or math.isnan(expected):
            ok = actual == expected
        else:
            ok = abs(actual - expected) <= tol
        return None if ok else "%s: got %r, expected %r (tolerance %g)" % (path, actual, expected, tol)
    if actual != expected:
        return "%s: got %r, expected %r" % (path, actual, expected)
    return None


# --------------------------------------------------------------------------
# Running cts
# --------------------------------------------------------------------------

class Result:
    def __init__(self, argv, rc, out, err):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err

    def problem(self):
        """None when cts exited 0 cleanly, else why not."""
        if self.rc is None:
            return "timed out"
        if self.rc < 0:
            return "killed by signal %d" % -self.rc
        for m in SANITIZER_MARKERS:
            if m in self.err:
                return "sanitizer report on stderr (%s)" % m
        if self.rc != 0:
            return "exit status %d" % self.rc
        return None

    def show(self):
        cmd = " ".join(self.argv)
        tail = self.err.strip()
        if len(tail) > 4000:
            tail = "..." + tail[-4000:]
        return "    command: %s\n    stderr:\n%s" % (cmd, _indent(tail or "(empty)", 6))


def _indent(text, n):
    return "\n".join(" " * n + line for line in text.splitlines())


def run_cts(cts, args, timeout):
    argv = [cts] + args
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return Result(argv, None, (e.stdout or b"").decode("utf-8", "replace"),
                      (e.stderr or b"").decode("utf-8", "replace"))
    except OSError as e:
        return Result(argv, 127, "", "cannot execute %s: %s" % (cts, e))
    return Result(argv, p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


def _method_args(method):
    return [] if method == "forward" else ["--method", method]


# --------------------------------------------------------------------------
# Checks. Each returns a list of (ok, line, details).
# --------------------------------------------------------------------------

def check_run(ctx, case, method):
    results = []
    with tempfile.TemporaryDirectory(prefix="cts-check-") as tmp:
        for n, inp in enumerate(method["inputs"]):
            label = "%s run %s input %d %s" % (case["name"], method["name"], n, inp.get("args_desc", ""))
            out_path = os.path.join(tmp, "out%d.pt" % n)
            r = run_cts(ctx.cts, ["run", ctx.path(case["archive"])] + _method_args(method["name"]) +
                        ["--args", ctx.path(inp["args"]), "--output", out_path], ctx.timeout)
            why = r.problem()
            if why:
                results.append((False, "%s: cts failed: %s" % (label, why), r.show()))
                continue
            if not os.path.exists(out_path):
                results.append((False, "%s: cts wrote no --output file" % label, r.show()))
                continue
            if not r.out.strip():
                results.append((False, "%s: cts run printed nothing (it must print the result)" % label, r.show()))
                continue
            try:
                actual = torch.load(out_path, map_location="cpu")
            except Exception as e:  # noqa: BLE001 - any failure to read is the finding
                results.append((False, "%s: torch.load cannot read cts's output: %s: %s" % (
                    label, type(e).__name__, str(e).splitlines()[0] if str(e) else ""), r.show()))
                continue
            expected = torch.load(ctx.path(inp["output"]), map_location="cpu")
            diff = compare_values(actual, expected, ctx.tol)
            if diff:
                results.append((False, "%s: %s" % (label, diff), "    expected %s\n    got      %s" % (
                    inp.get("output_desc", ""), _short(actual))))
            else:
                results.append((True, label, None))
    return results


def cts_save_twice(ctx_cts, archive, tmp, timeout):
    """`cts save ARCHIVE` into two folders under one file name (the name
    decides the archive's root folder).  Returns (path of the first copy,
    None) or (None, (line, details)) on a failure, including copies whose
    bytes differ."""
    paths = []
    for sub in ("a", "b"):
        os.makedirs(os.path.join(tmp, sub), exist_ok=True)
        out = os.path.join(tmp, sub, os.path.basename(archive))
        r = run_cts(ctx_cts, ["save", archive, out], timeout)
        why = r.problem()
        if why:
            return None, ("cts save failed: %s" % why, r.show())
        if not os.path.isfile(out):
            return None, ("cts save wrote no file", r.show())
        paths.append(out)
    with open(paths[0], "rb") as f1, open(paths[1], "rb") as f2:
        b1, b2 = f1.read(), f2.read()
    if b1 != b2:
        i = next((k for k in range(min(len(b1), len(b2))) if b1[k] != b2[k]), min(len(b1), len(b2)))
        return None, ("saving twice gave different bytes (%d and %d bytes, first difference at %d)" % (
            len(b1), len(b2), i), None)
    return paths[0], None


def check_save(ctx, case):
    """cts save: saving twice gives identical bytes; PyTorch loads the copy
    and, for every method and input, returns what it returned for the
    original archive (the corpus's expected output) exactly (tolerance 0)."""
    results = []
    with tempfile.TemporaryDirectory(prefix="cts-save-") as tmp:
        saved, fail = cts_save_twice(ctx.cts, ctx.path(case["archive"]), tmp, ctx.timeout)
        label = "%s save" % case["name"]
        if fail:
            return [(False, "%s: %s" % (label, fail[0]), fail[1])]
        try:
            m = torch.jit.load(saved)
        except Exception as e:  # noqa: BLE001 - any load failure is the finding
            return [(False, "%s: torch.jit.load of cts's archive failed: %s: %s" % (
                label, type(e).__name__, str(e).strip().splitlines()[-1] if str(e).strip() else ""), str(e)[-3000:])]
        results.append((True, "%s: identical bytes twice, torch.jit.load reads it" % label, None))
        for method in case["methods"]:
            fn = getattr(m, method["name"])
            for n, inp in enumerate(method["inputs"]):
                lab = "%s %s input %d" % (label, method["name"], n)
                args = torch.load(ctx.path(inp["args"]))
                try:
                    got = fn(*args)
                except Exception as e:  # noqa: BLE001
                    results.append((False, "%s: PyTorch raised on cts's archive: %s: %s" % (
                        lab, type(e).__name__, str(e).strip().splitlines()[-1] if str(e).strip() else ""), None))
                    continue
                diff = compare_values(got, torch.load(ctx.path(inp["output"])), 0.0)
                results.append((diff is None, "%s: %s" % (lab, diff or "PyTorch's output of the original"), None))
    return results


def check_trace(ctx, case):
    """cts trace on the first input set, saved: PyTorch loads the traced
    module and returns the expected output for that input; for cases whose
    archive was itself traced (no control flow outside scripted functions,
    which stay calls) for every input set."""
    results = []
    for method in case["methods"]:
        if method["name"] != "forward" or not method["inputs"]:
            continue
        label = "%s trace" % case["name"]
        first = torch.load(ctx.path(method["inputs"][0]["args"]))
        tensors_only = all(isinstance(a, torch.Tensor) or (isinstance(a, tuple) and all(
            isinstance(x, torch.Tensor) for x in a)) for a in first)
        with tempfile.TemporaryDirectory(prefix="cts-trace-") as tmp:
            out = os.path.join(tmp, "traced.pt")
            r = run_cts(ctx.cts, ["trace", ctx.path(case["archive"]), "--args",
                                  ctx.path(method["inputs"][0]["args"]), "--save", out], ctx.timeout)
            why = r.problem()
            if not tensors_only:
                # torch.jit.trace takes tensors only: a clear error, as PyTorch's
                first_line = (r.err.strip().splitlines() or [""])[0]
                ok = r.rc is not None and 0 < r.rc < 128 and "traced inputs are tensors" in first_line
                results.append((ok, "%s: non-tensor inputs are refused: %s" % (label, first_line or "(no error)"),
                                None if ok else r.show()))
                continue
            if why or not os.path.isfile(out):
                results.append((False, "%s: cts trace failed: %s" % (label, why or "no file"), r.show()))
                continue
            try:
                m = torch.jit.load(out)
            except Exception as e:  # noqa: BLE001
                results.append((False, "%s: torch.jit.load: %s: %s" % (label, type(e).__name__, e), None))
                continue
            inputs = method["inputs"] if "trace" in case["name"] else method["inputs"][:1]
            for n, inp in enumerate(inputs):
                try:
                    got = m(*torch.load(ctx.path(inp["args"])))
                except Exception as e:  # noqa: BLE001
                    results.append((False, "%s input %d: PyTorch raised: %s" % (label, n, e), None))
                    continue
                diff = compare_values(got, torch.load(ctx.path(inp["output"])), ctx.tol)
                results.append((diff is None, "%s input %d: %s" % (label, n, diff or "the original's output"), None))
    return results


def _short(v):
    if isinstance(v, torch.Tensor):
        return _describe(v)
    if isinstance(v, tuple):
        return "(" + ", ".join(_short(e) for e in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(_short(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%r: %s" % (k, _short(e)) for k, e in v.items()) + "}"
    return repr(v)


def check_graph(ctx, case, method):
    label = "%s graph %s" % (case["name"], method["name"])
    r = run_cts(ctx.cts, ["graph", ctx.path(case["archive"])] + _method_args(method["name"]), ctx.timeout)
    why = r.problem()
    if why:
        return [(False, "%s: cts failed: %s" % (label, why), r.show())]
    if not r.out.strip():
        return [(False, "%s: cts graph printed nothing" % label, r.show())]
    expected = ctx.read(method["graph"])
    d = normalize_graph.diff(expected, r.out, "pytorch/" + method["graph"], "cts graph")
    if d:
        return [(False, "%s: normalized graphs differ" % label, _indent(d.rstrip("\n"), 4))]
    return [(True, label, None)]


def _code_lines(text):
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check_code(ctx, case, method):
    label = "%s code %s" % (case["name"], method["name"])
    r = run_cts(ctx.cts, ["code", ctx.path(case["archive"])] + _method_args(method["name"]), ctx.timeout)
    why = r.problem()
    if why:
        return [(False, "%s: cts failed: %s" % (label, why), r.show())]
    import difflib
    expected, actual = _code_lines(ctx.read(method["code"])), _code_lines(r.out)
    if expected != actual:
        d = "\n".join(difflib.unified_diff(expected, actual, "pytorch/" + method["code"], "cts code", lineterm=""))
        return [(False, "%s: code differs" % label, _indent(d, 4))]
    return [(True, label, None)]


_DTYPE_WORDS = {
    "float32": ("float32", "float"), "float64": ("float64", "double"), "float16": ("float16", "half"),
    "bfloat16": ("bfloat16",), "int64": ("int64", "long"), "int32": ("int32", "int"),
    "int16": ("int16", "short"), "int8": ("int8", "char"), "uint8": ("uint8", "byte"), "bool": ("bool",),
}


def check_info(ctx, case):
    label = "%s info" % case["name"]
    r = run_cts(ctx.cts, ["info", ctx.path(case["archive"])], ctx.timeout)
    why = r.problem()
    if why:
        return [(False, "%s: cts failed: %s" % (label, why), r.show())]
    out = [line.rstrip() for line in r.out.splitlines()]
    tree = _code_lines(ctx.read(case["info"]))
    found = any(out[i:i + len(tree)] == tree for i in range(len(out) - len(tree) + 1))
    problems = []
    if not found:
        problems.append("the module tree of print(module) is not in the output:\n" + _indent("\n".join(tree), 6))
    for t in case.get("tensors", []):
        pats = [re.compile(r"(?<![\w.])%s(?![\w.])" % re.escape(t["name"])),
                re.compile(r"(?<!\d)%s(?!\d)" % r"\D+".join(str(d) for d in t["shape"])),
                re.compile(r"(?i)\b(%s)\b" % "|".join(_DTYPE_WORDS.get(t["dtype"], (t["dtype"],))))]
        if not any(all(p.search(line) for p in pats) for line in out):
            problems.append("no line names %s %s %s with its sizes and dtype" % (t["kind"], t["name"], t["shape"]))
    v = case.get("archive_version")
    if v is not None and not any(re.search(r"(?i)version", l) and re.search(r"(?<![\d.])%d(?![\d.])" % v, l) for l in out):
        problems.append("no line gives the archive version %d" % v)
    for op in case.get("ops", []):
        if not re.search(r"(?<![\w:])%s(?![\w])" % re.escape(op), r.out):
            problems.append("the op %s is not listed" % op)
    if problems:
        return [(False, "%s: %s" % (label, problems[0].splitlines()[0]),
                 _indent("\n".join(problems), 4) + "\n    cts info printed:\n" + _indent(r.out.rstrip(), 6))]
    return [(True, label, None)]


class Context:
    def __init__(self, cts, gendir, tol, timeout):
        self.cts, self.dir, self.tol, self.timeout = cts, gendir, tol, timeout

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()


def main(argv):
    ap = argparse.ArgumentParser(description="Compare cts with PyTorch on one conformance case.")
    ap.add_argument("--cts", required=True, help="path of the cts executable")
    ap.add_argument("--dir", required=True, help="the directory gen_tutorial.py wrote")
    ap.add_argument("--case", required=True, help="case name (see manifest.json)")
    ap.add_argument("--check-run", action="store_true")
    ap.add_argument("--check-graph", action="store_true")
    ap.add_argument("--check-code", action="store_true")
    ap.add_argument("--check-info", action="store_true")
    ap.add_argument("--check-save", action="store_true")
    ap.add_argument("--check-trace", action="store_true")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("CTS_CHECK_TIMEOUT", "300")),
                    help="seconds allowed for one cts invocation (default 300)")
    a = ap.parse_args(argv)
    kinds = [k for k in ("run", "graph", "code", "info", "save", "trace") if getattr(a, "check_" + k)] or \
        ["run", "graph", "code", "info", "save", "trace"]
    if "run" in kinds or "save" in kinds or "trace" in kinds:
        need_torch()       # only the value comparison needs torch (1-2 s to import)

    try:
        with open(os.path.join(a.dir, "manifest.json")) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        need_torch()       # no corpus because no torch: SKIP, as gen_tutorial.py did
        print("ERROR: cannot read %s/manifest.json (did gen_tutorial.py run?): %s" % (a.dir, e))
        return 2
    cases = {c["name"]: c for c in manifest["cases"]}
    if a.case not in cases:
        print("ERROR: no case %r in %s/manifest.json (cases: %s)" % (a.case, a.dir, ", ".join(cases)))
        return 2
    case = cases[a.case]
    if not (os.path.isfile(a.cts) and os.access(a.cts, os.X_OK)):
        print("FAIL %s: cts executable %s not found" % (a.case, a.cts))
        return 1
    ctx = Context(os.path.abspath(a.cts), a.dir, manifest.get("tolerance", {}).get("float_abs", FLOAT_ABS_TOL), a.timeout)

    results = []
    for kind in kinds:
        if kind == "info":
            results += check_info(ctx, case)
            continue
        if kind == "save":
            results += check_save(ctx, case)
            continue
        if kind == "trace":
            results += check_trace(ctx, case)
            continue
        for method in case["methods"]:
            results += {"run": check_run, "graph": check_graph, "code": check_code}[kind](ctx, case, method)

    for ok, line, details in results:
        print("%s %s" % ("PASS" if ok else "FAIL", line))
        if details and not ok:
            print(details)
    failed = sum(1 for ok, _, _ in results if not ok)
    print("%s: %d of %d checks passed (%s)" % (a.case, len(results) - failed, len(results), ", ".join(kinds)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
