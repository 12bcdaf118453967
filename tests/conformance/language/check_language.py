#!/usr/bin/python3
"""Judge `cts script` (and `cts run` on PyTorch's archives) on one program of
the language corpus written by gen_language.py.

    /usr/bin/python3 check_language.py --cts build/cts --dir build/conformance/language \
        --program NAME [--check-run] [--check-graph] [--check-archive] [--check-code] \
        [--check-reject] [--timeout S]

NAME is a program (`types_optional_01`) or a reject (`stmt_recursion_01`,
from reject/). With no --check-* switch a program gets run, graph and
archive, a reject gets reject (--check-code is only run when asked: the issue
requires values, printed output and graphs). One line per check starts with
PASS or FAIL; details follow a FAIL. Exit status: 0 when every selected check
passed, 1 when one failed, 2 for a usage or corpus error, 77 when
/usr/bin/python3 has no torch (ctest SKIP; with CTS_REQUIRE_TORCH=1 that is 1).
The command-line contract these checks rely on is in README.md.

The checks (SRC is tests/conformance/language/NAME.py, next to this file):

run      For every case K of the program (`fn`, args): `cts script SRC --run fn
         --args <prog>.caseK.args.pt --output TMP/out.pt --no-print-result`.
         A returning case passes when cts exits 0, stdout equals the
         program's own printed output (<prog>.caseK.stdout.txt) byte for
         byte, and torch.load(TMP/out.pt) equals PyTorch's result under
         check.py's compare_values (structure and scalar types exact, floats
         within 1e-5). A raising case passes when cts exits 1, stdout equals
         what PyTorch printed before the error, and the first line of stderr
         contains the error text (`ValueError: negative: -2`; manifest
         `error.expect`, empty when PyTorch's own message is empty).
graph    For every function decorated in SRC: `cts script SRC --graph fn`
         exits 0 and normalize_graph.normalize(stdout) equals the normalized
         `fn.graph` PyTorch printed.
code     `cts script SRC --code fn` exits 0 and equals `fn.code`, lines
         right-stripped, trailing blank lines dropped.
archive  For every case whose function PyTorch could save: `cts run
         <prog>.fn.pt --args ... --output TMP/out.pt` (and for MODULE_CASES
         `cts run <prog>.modK.pt [--method M] ...`). Passes when cts exits 0,
         stdout begins with the program's printed output (cts run prints the
         result after it) and the output equals PyTorch's; a raising case
         needs exit status 1, the printed output, and the error text in the
         first stderr line, as for run. The reference is what PyTorch's own
         loaded archive does (it differs from the scripted function only where
         PyTorch's save changes the program: manifest `archive.differs`).
reject   `cts script reject/NAME.py` exits 1, the first stderr line is not
         empty, and the first `line <N>` in stderr names the line PyTorch's
         error names (the culprit's line, not the def's unless PyTorch says
         so).

Every check fails on a crash (death by a signal, exit status >= 128), a
timeout, or a sanitizer report on stderr.
"""
import argparse
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import check  # noqa: E402  (tests/conformance/check.py: compare_values, run_cts)
import normalize_graph  # noqa: E402

LINE_RE = re.compile(r"\bline (\d+)")


def _indent(text, n=6):
    return "\n".join(" " * n + line for line in text.splitlines())


def _read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def _crash(r):
    """None, or why the process did not end in an orderly way."""
    if r.rc is None:
        return "timed out"
    if r.rc < 0:
        return "killed by signal %d" % -r.rc
    if r.rc >= 128:
        return "exit status %d (a crash)" % r.rc
    for m in check.SANITIZER_MARKERS:
        if m in r.err:
            return "sanitizer report on stderr (%s)" % m
    return None


def _first_line(text):
    lines = text.splitlines()
    return lines[0] if lines else ""


def _show_stdout(expected, actual):
    e = expected.decode("utf-8", "replace")
    a = actual if isinstance(actual, str) else actual.decode("utf-8", "replace")
    import difflib
    d = "\n".join(difflib.unified_diff(e.splitlines(), a.splitlines(), "pytorch stdout", "cts stdout", lineterm=""))
    return "    printed output differs:\n" + _indent(d or ("expected %r\n got %r" % (e, a)), 6)


class Ctx:
    def __init__(self, cts, gendir, timeout, tol):
        self.cts, self.dir, self.timeout, self.tol = cts, gendir, timeout, tol

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, args):
        """check.run_cts, keeping stdout's bytes (r.raw) for exact comparison."""
        import subprocess
        argv = [self.cts] + args
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            r = check.Result(argv, None, (e.stdout or b"").decode("utf-8", "replace"),
                             (e.stderr or b"").decode("utf-8", "replace"))
            r.raw = e.stdout or b""
            return r
        except OSError as e:
            r = check.Result(argv, 127, "", "cannot execute %s: %s" % (self.cts, e))
            r.raw = b""
            return r
        r = check.Result(argv, p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))
        r.raw = p.stdout
        return r


def _judge_call(ctx, label, r, out_path, expect, prefix_ok):
    """Judge one call of cts (script --run or run) against `expect`:
    {"stdout": file, "output": file or None, "error": {...} or None}.
    prefix_ok: stdout may continue after the program's output (cts run
    prints the result)."""
    why = _crash(r)
    if why:
        return (False, "%s: cts failed: %s" % (label, why), r.show())
    want_out = _read_bytes(ctx.path(expect["stdout"]))
    got_out = r.raw
    out_ok = got_out.startswith(want_out) if prefix_ok else got_out == want_out
    err = expect.get("error")
    if err is not None:
        if r.rc != 1:
            return (False, "%s: expected an error (exit status 1: %s), cts exited %d" % (
                label, err["expect"] or "PyTorch's message is empty", r.rc), r.show())
        if not out_ok:
            return (False, "%s: printed output before the error differs" % label, _show_stdout(want_out, got_out))
        first = _first_line(r.err)
        if not first.strip():
            return (False, "%s: the first line of stderr is empty" % label, r.show())
        if err["expect"] and err["expect"] not in first:
            return (False, "%s: the first stderr line does not contain %r" % (label, err["expect"]),
                    "    first stderr line: %r" % first)
        return (True, label, None)
    if r.rc != 0:
        return (False, "%s: cts failed: exit status %d" % (label, r.rc), r.show())
    if not out_ok:
        return (False, "%s: printed output differs%s" % (label, " (as a prefix of stdout)" if prefix_ok else ""),
                _show_stdout(want_out, got_out))
    if not os.path.exists(out_path):
        return (False, "%s: cts wrote no --output file" % label, r.show())
    try:
        actual = check.torch.load(out_path, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any failure to read is the finding
        return (False, "%s: torch.load cannot read cts's output: %s: %s" % (
            label, type(e).__name__, _first_line(str(e))), r.show())
    expected = check.torch.load(ctx.path(expect["output"]), map_location="cpu")
    diff = check.compare_values(actual, expected, ctx.tol)
    if diff:
        return (False, "%s: %s" % (label, diff), "    expected %s\n    got      %s" % (
            expect.get("output_desc", ""), check._short(actual)))
    return (True, label, None)


def check_run(ctx, prog):
    results = []
    src = os.path.join(HERE, prog["source"])
    with tempfile.TemporaryDirectory(prefix="cts-lang-") as tmp:
        for k, case in enumerate(prog["cases"]):
            label = "%s run case %d: %s%s" % (prog["name"], k, case["function"], case["args_desc"])
            out_path = os.path.join(tmp, "out%d.pt" % k)
            r = ctx.run(["script", src, "--run", case["function"], "--args", ctx.path(case["args"]),
                         "--output", out_path, "--no-print-result"])
            results.append(_judge_call(ctx, label, r, out_path, case, prefix_ok=False))
    return results


def check_archive(ctx, prog):
    results = []
    with tempfile.TemporaryDirectory(prefix="cts-lang-") as tmp:
        for k, case in enumerate(prog["cases"]):
            arch = case.get("archive")
            if arch is None:
                continue
            label = "%s archive case %d: %s%s" % (prog["name"], k, case["function"], case["args_desc"])
            out_path = os.path.join(tmp, "out%d.pt" % k)
            r = ctx.run(["run", ctx.path(arch["path"]), "--args", ctx.path(case["args"]), "--output", out_path])
            expect = dict(arch, output_desc=case.get("output_desc", ""))
            results.append(_judge_call(ctx, label, r, out_path, expect, prefix_ok=True))
        for k, mc in enumerate(prog.get("module_cases", [])):
            label = "%s archive module case %d: %s%s" % (prog["name"], k, mc["method"], mc["args_desc"])
            out_path = os.path.join(tmp, "mod%d.pt" % k)
            method = [] if mc["method"] == "forward" else ["--method", mc["method"]]
            r = ctx.run(["run", ctx.path(mc["archive"])] + method + ["--args", ctx.path(mc["args"]), "--output", out_path])
            results.append(_judge_call(ctx, label, r, out_path, dict(mc, error=None), prefix_ok=True))
    return results


def check_graph(ctx, prog):
    results = []
    src = os.path.join(HERE, prog["source"])
    for fn in prog["functions"]:
        label = "%s graph %s" % (prog["name"], fn["name"])
        r = ctx.run(["script", src, "--graph", fn["name"]])
        why = _crash(r) or (None if r.rc == 0 else "exit status %d" % r.rc)
        if why:
            results.append((False, "%s: cts failed: %s" % (label, why), r.show()))
            continue
        with open(ctx.path(fn["graph"]), encoding="utf-8") as f:
            expected = f.read()
        d = normalize_graph.diff(expected, r.out, "pytorch/" + fn["graph"], "cts script --graph")
        if d:
            results.append((False, "%s: normalized graphs differ" % label, _indent(d.rstrip("\n"), 4)))
        else:
            results.append((True, label, None))
    return results


def check_code(ctx, prog):
    import difflib
    results = []
    src = os.path.join(HERE, prog["source"])
    for fn in prog["functions"]:
        label = "%s code %s" % (prog["name"], fn["name"])
        r = ctx.run(["script", src, "--code", fn["name"]])
        why = _crash(r) or (None if r.rc == 0 else "exit status %d" % r.rc)
        if why:
            results.append((False, "%s: cts failed: %s" % (label, why), r.show()))
            continue
        with open(ctx.path(fn["code"]), encoding="utf-8") as f:
            expected = check._code_lines(f.read())
        actual = check._code_lines(r.out)
        if expected != actual:
            d = "\n".join(difflib.unified_diff(expected, actual, "pytorch/" + fn["code"], "cts script --code", lineterm=""))
            results.append((False, "%s: code differs" % label, _indent(d, 4)))
        else:
            results.append((True, label, None))
    return results


def check_reject(ctx, rej):
    label = "%s reject (PyTorch: line %d: %s)" % (rej["name"], rej["line"], rej["message"][:80])
    src = os.path.join(HERE, rej["source"])
    r = ctx.run(["script", src])
    why = _crash(r)
    if why:
        return [(False, "%s: cts failed: %s" % (label, why), r.show())]
    if r.rc != 1:
        return [(False, "%s: cts exited %d, expected 1 (a rejected program)" % (label, r.rc), r.show())]
    if not _first_line(r.err).strip():
        return [(False, "%s: the first line of stderr is empty (it must say what is wrong)" % label, r.show())]
    m = LINE_RE.search(r.err)
    if not m:
        return [(False, "%s: stderr names no `line N`" % label, r.show())]
    if int(m.group(1)) != rej["line"]:
        return [(False, "%s: cts names line %s, PyTorch names line %d" % (label, m.group(1), rej["line"]),
                 "    PyTorch's culprit: %s\n%s" % (rej["source_line"].strip(), r.show()))]
    return [(True, label, None)]


KINDS = ("run", "graph", "archive", "code", "reject")


def main(argv):
    ap = argparse.ArgumentParser(description="Compare cts with PyTorch on one program of the language corpus.")
    ap.add_argument("--cts", required=True, help="path of the cts executable")
    ap.add_argument("--dir", required=True, help="the directory gen_language.py wrote")
    ap.add_argument("--program", required=True, help="program or reject name (see manifest.json)")
    for k in KINDS:
        ap.add_argument("--check-" + k, action="store_true")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("CTS_CHECK_TIMEOUT", "120")),
                    help="seconds allowed for one cts invocation (default 120)")
    ap.add_argument("--known-failures", metavar="FILE",
                    help="lines 'PROGRAM KIND  # why': checks cts is known to fail; such a check failing "
                         "is XFAIL, passing prints an XPASS note to remove its line")
    a = ap.parse_args(argv)
    try:
        with open(os.path.join(a.dir, "manifest.json")) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        check.need_torch()      # no corpus because no torch: SKIP, as gen_language.py did
        print("ERROR: cannot read %s/manifest.json (did gen_language.py run?): %s" % (a.dir, e))
        return 2
    programs = {p["name"]: p for p in manifest["programs"]}
    rejects = {r["name"]: r for r in manifest["rejects"]}
    prog, rej = programs.get(a.program), rejects.get(a.program)
    if prog is None and rej is None:
        print("ERROR: no program or reject %r in %s/manifest.json" % (a.program, a.dir))
        return 2
    kinds = [k for k in KINDS if getattr(a, "check_" + k)]
    if not kinds:
        kinds = ["run", "graph", "archive"] if prog is not None else ["reject"]
    if rej is not None and kinds != ["reject"] or prog is not None and "reject" in kinds:
        print("ERROR: %s is %s; --check-reject is for rejects, the others for programs" % (
            a.program, "a reject" if rej is not None else "a program"))
        return 2
    if "run" in kinds or "archive" in kinds:
        check.need_torch()      # only the value comparison needs torch
    if not (os.path.isfile(a.cts) and os.access(a.cts, os.X_OK)):
        print("FAIL %s: cts executable %s not found" % (a.program, a.cts))
        return 1
    ctx = Ctx(os.path.abspath(a.cts), a.dir, a.timeout, manifest.get("tolerance", {}).get("float_abs", check.FLOAT_ABS_TOL))

    known = read_known_failures(a.known_failures, a.program) if a.known_failures else set()
    results, failed, xfail = [], 0, 0
    for kind in kinds:
        if kind == "reject":
            got = check_reject(ctx, rej)
        else:
            got = {"run": check_run, "graph": check_graph, "archive": check_archive, "code": check_code}[kind](ctx, prog)
        if kind in known:
            if all(ok for ok, _, _ in got):
                # a note, not a failure: fixing the compiler never breaks CI
                print("XPASS %s %s: listed in %s but passes now; remove its line" % (a.program, kind, a.known_failures))
            else:
                print("XFAIL %s %s (known failure, %d of %d checks fail)" % (
                    a.program, kind, sum(1 for ok, _, _ in got if not ok), len(got)))
                xfail += 1
            continue
        results += got
    for ok, line, details in results:
        print("%s %s" % ("PASS" if ok else "FAIL", line))
        if details and not ok:
            print(details)
    failed += sum(1 for ok, _, _ in results if not ok)
    print("%s: %d of %d checks passed (%s)%s" % (a.program, sum(1 for ok, _, _ in results if ok),
                                               len(results), ", ".join(kinds),
                                               "; %d known-failing kinds" % xfail if xfail else ""))
    return 1 if failed else 0


def read_known_failures(path, program):
    """The kinds of `program` listed in the known-failures file."""
    kinds = set()
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].split()
            if not line:
                continue
            if len(line) != 2 or line[1] not in KINDS:
                raise SystemExit("ERROR: %s:%d: expected 'PROGRAM KIND' with KIND one of %s" % (path, n, ", ".join(KINDS)))
            if line[0] == program:
                kinds.add(line[1])
    return kinds


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
