#!/usr/bin/python3
"""Self-test of the language harness; needs torch and a corpus, not cts.

    /usr/bin/python3 selftest_language.py GENDIR [--quick]

It checks that
  1. the corpus is complete (every file the manifest names exists, args are
     tuples, every program has a graph per decorated function, the counts
     the issue asks for hold: >= 200 programs, >= 60 rejects, every feature
     group of README.md's table present);
  2. gen_language.py's error-text rule and the `line N` rule behave on
     hand-written messages;
  3. check_language.py, driven against a fake cts (a Python script that
     replays PyTorch's answers from GENDIR, see FAKE below), passes a correct
     cts on every program and every reject, and fails each kind of wrong
     one: another value, printed output off by a byte, the result printed
     with --no-print-result, exit 0 where PyTorch raised, another error text,
     no output file, a changed graph, another line for a reject, exit 0 or a
     crash on a reject, a sanitizer report, a crash.
With --quick the correct fake runs on a sample of programs instead of all.
Exit 0 when all hold, 1 otherwise, 77 without torch.
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

try:
    import torch
except ImportError as e:
    print("SKIP: %s cannot import torch (%s)" % (sys.executable, e))
    sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77)
import check  # noqa: E402
check.torch = torch
import check_language  # noqa: E402
import gen_language  # noqa: E402

failures = []


def expect(cond, what):
    print("%s %s" % ("PASS" if cond else "FAIL", what))
    if not cond:
        failures.append(what)


# --------------------------------------------------------------------------
# The fake cts. It answers from GENDIR by file name, like a correct cts
# would, and is damaged by the mode in $FAKE_CTS_MODE.
# --------------------------------------------------------------------------

FAKE = r'''#!/usr/bin/python3
"""fake cts for selftest_language.py: replays PyTorch's answers from GENDIR."""
import os, re, shutil, signal, sys
D = %(dir)r
MODE = os.environ.get("FAKE_CTS_MODE", "good")


def out(b):
    sys.stdout.flush()
    os.write(1, b)


def err_text(path):
    """The error text, as gen_language.expected_error_text computes it."""
    lines = [l for l in open(path, encoding="utf-8").read().strip().splitlines() if l.strip()]
    last = lines[-1].strip() if lines else ""
    if last.startswith("builtins."):
        last = last[len("builtins."):]
    return re.sub(r"^RuntimeError:\s*", "", last)


def read(p):
    with open(p, "rb") as f:
        return f.read()


def finish(rc=0):
    if MODE == "asan":
        sys.stderr.write("==1==ERROR: AddressSanitizer: heap-use-after-free\n")
    if MODE == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    sys.exit(rc)


def answer_call(prefix, outfile, print_result):
    """prefix: GENDIR/<prog>.caseK or GENDIR/<prog>.modK (or .archive variant)."""
    stdout = read(prefix + ".stdout.txt")
    if MODE == "stdout_byte" and stdout:
        stdout = stdout[:-1]
    if MODE == "stdout_extra":
        stdout = stdout + b"extra\n"
    out(stdout)
    if os.path.exists(prefix + ".error.txt"):
        text = err_text(prefix + ".error.txt")
        if MODE == "error_exit0":
            finish(0)
        sys.stderr.write("cts: error: %%s\n" %% ("something else" if MODE == "error_text" else text))
        sys.stderr.write("  File \"x.py\", line 3, in f\n")
        finish(1)
    if print_result or MODE == "print_result":
        out(b"(fake result)\n")
    if outfile and MODE != "no_output":
        src = prefix + ".out.pt"
        if MODE == "other_value":
            base, k = re.match(r"(.*\.case)(\d+)$", prefix).groups() if ".case" in prefix else (None, None)
            if base:
                for j in (int(k) + 1, int(k) - 1):
                    if os.path.exists("%%s%%d.out.pt" %% (base, j)):
                        src = "%%s%%d.out.pt" %% (base, j)
                        break
        shutil.copyfile(src, outfile)
    finish(0)


def main(argv):
    cmd, target, rest = argv[0], argv[1], argv[2:]
    opts, flags = {}, set()
    i = 0
    while i < len(rest):
        if rest[i] in ("--run", "--args", "--output", "--graph", "--code", "--method"):
            opts[rest[i]] = rest[i + 1]
            i += 2
        else:
            flags.add(rest[i])
            i += 1
    if cmd == "script":
        prog = os.path.basename(target)[:-3]
        if os.path.basename(os.path.dirname(target)) == "reject":
            msg = open(os.path.join(D, "reject.%%s.error.txt" %% prog), encoding="utf-8").read()
            line = int(re.search(r'File "[^"]*", line (\d+)', msg).group(1))
            if MODE == "reject_exit0":
                finish(0)
            if MODE == "reject_line":
                line += 1
            first = next(l for l in msg.splitlines() if l.strip())
            sys.stderr.write("cts: error: %%s\n  File \"%%s\", line %%d\n    (source)\n    ~~~ <--- HERE\n" %% (first, target, line))
            finish(1)
        if "--graph" in opts:
            g = read(os.path.join(D, "%%s.%%s.graph.txt" %% (prog, opts["--graph"]))).decode("utf-8")
            # what a correct cts may print differently: other ids, no comments
            g = re.sub(r"%%(\d+)\b", lambda m: "%%" + str(int(m.group(1)) + 500), g)
            g = "\n".join(l.split(" # ")[0] for l in g.splitlines()) + "\n"
            if MODE == "graph_change":
                g = g.replace("prim::Constant", "prim::Konstant", 1) if "prim::Constant" in g else g + "  extra\n"
            out(g.encode("utf-8"))
            finish(0)
        if "--code" in opts:
            out(read(os.path.join(D, "%%s.%%s.code.txt" %% (prog, opts["--code"]))))
            finish(0)
        if "--run" in opts:
            k = re.search(r"\.case(\d+)\.args\.pt$", opts["--args"]).group(1)
            answer_call(os.path.join(D, "%%s.case%%s" %% (prog, k)), opts.get("--output"), "--no-print-result" not in flags)
        finish(0)
    if cmd == "run":
        base = os.path.basename(target)[:-3]
        m = re.match(r"(.*)\.mod(\d+)$", base)
        if m:
            prefix = os.path.join(D, base)
        else:
            prog = base.rsplit(".", 1)[0]
            k = re.search(r"\.case(\d+)\.args\.pt$", opts["--args"]).group(1)
            prefix = os.path.join(D, "%%s.case%%s" %% (prog, k))
            if os.path.exists(prefix + ".archive.stdout.txt"):
                prefix = prefix + ".archive"
        answer_call(prefix, opts.get("--output"), True)
    sys.stderr.write("fake cts: unknown command %%s\n" %% cmd)
    sys.exit(2)


main(sys.argv[1:])
'''


def make_fake(tmp, gendir):
    path = os.path.join(tmp, "cts")
    with open(path, "w") as f:
        f.write(FAKE % {"dir": os.path.abspath(gendir)})
    os.chmod(path, 0o755)
    return path


def run_check(gendir, cts, name, kinds=(), mode="good"):
    os.environ["FAKE_CTS_MODE"] = mode
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = check_language.main(["--cts", cts, "--dir", gendir, "--program", name] + ["--check-" + k for k in kinds])
    return rc, buf.getvalue()


# --------------------------------------------------------------------------

FEATURES = ("types_", "stmt_", "expr_", "refine_", "builtin_", "tensor_", "torch_", "func_", "call_", "module_")


def test_corpus(gendir, manifest):
    progs, rejects = manifest["programs"], manifest["rejects"]
    expect(len(progs) >= 200, "corpus: %d programs (at least 200)" % len(progs))
    expect(len(rejects) >= 60, "corpus: %d rejects (at least 60)" % len(rejects))
    expect(sorted(p["name"] for p in progs) == gen_language.program_names(),
           "corpus: the manifest lists every program file")
    expect(sorted(r["name"] for r in rejects) == gen_language.reject_names(),
           "corpus: the manifest lists every reject file")
    for f in FEATURES:
        expect(any(p["name"].startswith(f) for p in progs), "corpus: feature group %s* present" % f)
    missing, bad_args = [], []
    for p in progs:
        names = [p["source"]]
        for fn in p["functions"]:
            names += [fn["graph"], fn["code"]] + ([fn["archive"]] if fn["archive"] else [])
        for c in p["cases"]:
            names += [c["args"], c["stdout"]] + ([c["output"]] if c["output"] else [c["error"]["message"]])
            if c.get("archive") and c["archive"]["differs"]:
                names.append(c["archive"]["stdout"])
        for mc in p["module_cases"]:
            names += [mc["archive"], mc["args"], mc["output"], mc["stdout"]]
        for n in names:
            base = HERE if n == p["source"] else gendir
            if not os.path.isfile(os.path.join(base, n)):
                missing.append(n)
        for c in p["cases"][:1]:
            if not isinstance(torch.load(os.path.join(gendir, c["args"])), tuple):
                bad_args.append(c["args"])
    expect(not missing, "corpus: every file the manifest names exists %s" % (missing[:5] or ""))
    expect(not bad_args, "corpus: argument files hold tuples %s" % (bad_args[:5] or ""))
    expect(all(p["functions"] or p["module_cases"] for p in progs), "corpus: every program has a function or a module case")
    raising = sum(1 for p in progs for c in p["cases"] if c["error"])
    printing = sum(1 for p in progs for c in p["cases"] if os.path.getsize(os.path.join(gendir, c["stdout"])) > 0)
    archives = sum(1 for p in progs for c in p["cases"] if c.get("archive"))
    expect(raising >= 20, "corpus: %d cases raise (at least 20)" % raising)
    expect(printing >= 20, "corpus: %d cases print (at least 20)" % printing)
    expect(archives >= 400, "corpus: %d cases have an archive to run (at least 400)" % archives)
    for r in rejects:
        ok = isinstance(r["line"], int) and r["line"] > 0 and r["source_line"].strip() != ""
        if not ok:
            expect(False, "corpus: reject %s names a line of its source" % r["name"])


def test_rules():
    et = gen_language.expected_error_text
    cases = [
        ("...\nbuiltins.ValueError: neg -1\n", "ValueError: neg -1"),
        ("...\nRuntimeError: AssertionError: three\n", "AssertionError: three"),
        ("...\nRuntimeError: list index out of range\n", "list index out of range"),
        ("...\nRuntimeError: \n", ""),
        ("...\nbuiltins.RuntimeError: zero\n", "zero"),
    ]
    for msg, want in cases:
        expect(et(msg) == want, "expected_error_text(%r) == %r (got %r)" % (msg.splitlines()[-1], want, et(msg)))
    lr = check_language.LINE_RE
    expect(lr.search('cts: error: undefined value z:\n  File "a.py", line 8\n').group(1) == "8", "LINE_RE finds `line 8`")
    expect(lr.search("newline 3 and line 12").group(1) == "12", "LINE_RE needs the word `line`")


def test_checker(gendir, manifest, quick):
    progs, rejects = manifest["programs"], manifest["rejects"]
    with tempfile.TemporaryDirectory(prefix="fake-cts-lang-") as tmp:
        cts = make_fake(tmp, gendir)
        sample = progs if not quick else progs[::10]
        bad = []
        for p in sample:
            rc, out = run_check(gendir, cts, p["name"], ["run", "graph", "archive", "code"])
            if rc != 0:
                bad.append(p["name"])
                print(out)
        expect(not bad, "a correct cts passes run, graph, archive and code on %d programs %s" % (len(sample), bad[:5] or ""))
        bad = []
        for r in (rejects if not quick else rejects[::5]):
            rc, out = run_check(gendir, cts, r["name"])
            if rc != 0:
                bad.append(r["name"])
                print(out)
        expect(not bad, "a correct cts passes the rejects %s" % (bad[:5] or ""))

        # (mode, program, kinds, expected exit status)
        by = {p["name"]: p for p in progs}
        printing = next(p["name"] for p in progs if p["cases"] and any(
            os.path.getsize(os.path.join(gendir, c["stdout"])) > 0 and not c["error"] for c in p["cases"]))
        raising = next(p["name"] for p in progs if any(c["error"] and c["error"]["expect"] for c in p["cases"]))
        multi = "types_int_01"
        module = next(p["name"] for p in progs if p["module_cases"])
        reject = rejects[0]["name"]
        differs = [p["name"] for p in progs if any(c.get("archive") and c["archive"]["differs"] for c in p["cases"])]
        runs = [
            ("other_value", multi, ["run"], 1),
            ("other_value", multi, ["archive"], 1),
            ("no_output", multi, ["run"], 1),
            ("no_output", module, ["archive"], 1),
            ("stdout_byte", printing, ["run"], 1),
            ("stdout_byte", printing, ["archive"], 1),
            ("stdout_extra", printing, ["run"], 1),
            ("stdout_extra", printing, ["archive"], 0),   # cts run prints the result after the output
            ("print_result", multi, ["run"], 1),
            ("error_exit0", raising, ["run"], 1),
            ("error_exit0", raising, ["archive"], 1),
            ("error_text", raising, ["run"], 1),
            ("error_text", raising, ["archive"], 1),
            ("graph_change", multi, ["graph"], 1),
            ("crash", multi, ["graph"], 1),
            ("crash", multi, ["run"], 1),
            ("crash", reject, ["reject"], 1),
            ("asan", multi, ["run"], 1),
            ("asan", reject, ["reject"], 1),
            ("reject_line", reject, ["reject"], 1),
            ("reject_exit0", reject, ["reject"], 1),
            ("good", raising, ["run", "archive"], 0),
            ("good", module, [], 0),
        ]
        for name in differs[:1]:
            runs.append(("good", name, ["archive"], 0))
        for mode, name, kinds, want in runs:
            rc, out = run_check(gendir, cts, name, kinds, mode)
            ok = rc == want
            expect(ok, "check_language.py %s a cts in mode %s on %s %s" % ("passes" if want == 0 else "fails", mode, name, kinds))
            if not ok:
                print(out)
        rc, out = run_check(gendir, cts, multi, ["graph"])
        expect(rc == 0 and " run " not in out and " archive " not in out, "--check-graph runs only the graph check")
        # the command line itself, in a process of its own
        os.environ["FAKE_CTS_MODE"] = "good"
        argv = [sys.executable, os.path.join(HERE, "check_language.py"), "--cts", cts, "--dir", gendir]
        p = subprocess.run(argv + ["--program", multi], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        expect(p.returncode == 0 and b"checks passed" in p.stdout, "check_language.py CLI: exit 0 on a correct cts")
        p = subprocess.run(argv + ["--program", "no_such_program"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        expect(p.returncode == 2, "check_language.py CLI: exit 2 for an unknown program")
        p = subprocess.run(argv + ["--program", reject, "--check-run"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        expect(p.returncode == 2, "check_language.py CLI: exit 2 for --check-run on a reject")
        p = subprocess.run([sys.executable, os.path.join(HERE, "check_language.py"), "--cts", os.path.join(tmp, "missing"),
                            "--dir", gendir, "--program", reject], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        expect(p.returncode == 1 and b"not found" in p.stdout, "check_language.py CLI: exit 1 when cts is missing")
        del by


def main(argv):
    quick = "--quick" in argv
    argv = [a for a in argv if a != "--quick"]
    if len(argv) != 1:
        print("usage: selftest_language.py GENDIR [--quick]", file=sys.stderr)
        return 2
    gendir = argv[0]
    with open(os.path.join(gendir, "manifest.json")) as f:
        manifest = json.load(f)
    test_corpus(gendir, manifest)
    test_rules()
    test_checker(gendir, manifest, quick)
    print("selftest_language: %d failure(s)" % len(failures))
    for f in failures:
        print("  FAILED: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
