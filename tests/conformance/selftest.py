#!/usr/bin/python3
"""Self-test of the conformance harness; needs torch, not the cts binary.

    /usr/bin/python3 selftest.py GENDIR      # GENDIR written by gen_tutorial.py

It checks that
  1. the corpus is complete: every file the manifest names exists, and the
     outputs load with torch.load;
  2. the graph normalizer works on PyTorch's own graphs: for every case,
     normalize(expected .graph.txt) == normalize(graph printed by this fresh
     process after loading the archive) == normalize(graph printed after the
     loaded module is saved and loaded again), and it tells apart graphs that
     differ (unit cases on hand-written text);
  3. compare_values implements the tolerance rule (unit cases);
  4. check.py, driven against fake cts binaries (shell scripts that answer
     from files prepared here), passes a correct cts and fails
     each kind of wrong one: values off by more than 1e-5, another dtype or
     shape, a list for a tuple, no output, a non-zero exit, a crash, a
     sanitizer report, a changed graph or code, info without the parameters.
Exit 0 when all hold, 1 otherwise, 77 without torch.
"""
import io
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import normalize_graph  # noqa: E402

try:
    import torch
except ImportError as e:
    print("SKIP: %s cannot import torch (%s)" % (sys.executable, e))
    sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77)
import check  # noqa: E402
check.torch = torch

failures = []


def expect(cond, what):
    print("%s %s" % ("PASS" if cond else "FAIL", what))
    if not cond:
        failures.append(what)


def test_corpus(gendir, manifest):
    for case in manifest["cases"]:
        names = [case["archive"], case["info"]]
        for m in case["methods"]:
            names += [m["graph"], m["code"]] + [i["args"] for i in m["inputs"]] + [i["output"] for i in m["inputs"]]
        missing = [n for n in names if not os.path.isfile(os.path.join(gendir, n))]
        expect(not missing, "corpus %s: all %d files exist %s" % (case["name"], len(names), missing or ""))
        for m in case["methods"]:
            for i in m["inputs"]:
                args = torch.load(os.path.join(gendir, i["args"]))
                expect(isinstance(args, tuple), "corpus %s: %s holds a tuple" % (case["name"], i["args"]))
    want = {"foo_traced", "mycell_traced", "mycell_scripted", "loop_scripted", "mymodel_scripted",
            "mixed_script_calls_trace", "mixed_trace_calls_script"}
    expect(want <= {c["name"] for c in manifest["cases"]}, "corpus: the issue's programs are all there")
    loop = next(c for c in manifest["cases"] if c["name"] == "loop_scripted")
    lens = sorted(torch.load(os.path.join(gendir, i["args"]))[0] for i in loop["methods"][0]["inputs"])
    expect(lens == [0, 1, 5, 10, 11, 15], "corpus: loop_scripted runs len in %s" % lens)
    mixed = next(c for c in manifest["cases"] if c["name"] == "mixed_trace_calls_script")
    sides = set()
    for i in mixed["methods"][0]["inputs"]:
        x, y, _ = torch.load(os.path.join(gendir, i["args"]))
        sides.add(bool(x.max() > y.max()))
    expect(sides == {True, False}, "corpus: mixed_trace_calls_script takes both sides of the if")


def test_normalizer_on_torch(gendir, manifest):
    for case in manifest["cases"]:
        path = os.path.join(gendir, case["archive"])
        with open(os.path.join(gendir, case["methods"][0]["graph"])) as f:
            expected = f.read()
        loaded = torch.jit.load(path)
        again = str(loaded.graph)
        buf = io.BytesIO()
        torch.jit.save(loaded, buf)
        buf.seek(0)
        resaved = str(torch.jit.load(buf).graph)
        n = normalize_graph.normalize(expected)
        expect(n == normalize_graph.normalize(again), "normalize %s: expected == fresh load" % case["name"])
        expect(n == normalize_graph.normalize(resaved), "normalize %s: expected == saved and loaded again" % case["name"])
        expect("# " not in n, "normalize %s: no source comments remain" % case["name"])
    # the ids really do differ between printings that normalize equal
    t = "graph(%x : Tensor):\n  %7 : int = prim::Constant[value=1]() # a.py:1:0\n  %9 : Tensor = aten::add(%x, %x, %7)\n  return (%9)\n"
    u = "graph(%x : Tensor):\n  %2 : int = prim::Constant[value=1]()\n  %1 : Tensor = aten::add(%x, %x, %2)   \n  return (%1)\n\n"
    expect(normalize_graph.normalize(t) == normalize_graph.normalize(u), "normalize: ids and comments and trailing space ignored")
    v = "graph(%x : Tensor):\n  %2 : int = prim::Constant[value=2]()\n  %1 : Tensor = aten::add(%x, %x, %2)\n  return (%1)\n"
    expect(normalize_graph.normalize(t) != normalize_graph.normalize(v), "normalize: a changed constant differs")
    w = "graph(%y : Tensor):\n  %2 : int = prim::Constant[value=1]()\n  %1 : Tensor = aten::add(%y, %y, %2)\n  return (%1)\n"
    expect(normalize_graph.normalize(t) != normalize_graph.normalize(w), "normalize: a renamed named value differs")
    a = "graph():\n  %1 : int = prim::Constant[value=1]()\n  %2 : int = aten::add(%1, %1)\n  %3 : int = aten::add(%2, %1)\n  return (%3)\n"
    b = "graph():\n  %1 : int = prim::Constant[value=1]()\n  %2 : int = aten::add(%1, %1)\n  %3 : int = aten::add(%1, %2)\n  return (%3)\n"
    expect(normalize_graph.normalize(a) != normalize_graph.normalize(b), "normalize: different data flow differs")
    s1 = 'graph():\n  %5 : str = prim::Constant[value="a # %3"]() # x.py:1:1\n  return (%5)\n'
    s2 = 'graph():\n  %0 : str = prim::Constant[value="a # %3"]()\n  return (%0)\n'
    expect(normalize_graph.normalize(s1) == s2, "normalize: string constants are left alone")
    sc = "graph(%x : Tensor):\n  %3 : Tensor = aten::relu(%x), scope: __module.conv # conv.py:459:0\n  return (%3)\n"
    expect(normalize_graph.normalize(sc) == "graph(%x : Tensor):\n  %0 : Tensor = aten::relu(%x)\n  return (%0)\n",
           "normalize: scopes are dropped by default")
    expect(", scope: __module.conv" in normalize_graph.normalize(sc, keep_scopes=True), "normalize: --keep-scopes keeps them")
    # a traced module with submodules, inlined: PyTorch prints scopes there
    lin = torch.jit.trace(torch.nn.Sequential(torch.nn.Linear(2, 2)), torch.rand(1, 2))
    inl = str(lin.inlined_graph)
    expect(", scope: " in inl and ", scope: " not in normalize_graph.normalize(inl), "normalize: scopes of a traced inlined graph are dropped")


def test_compare_values():
    cv = check.compare_values
    t = torch.tensor([1.0, 2.0, float("nan"), float("inf")])
    cases = [
        (t.clone(), t, True, "identical tensor with nan and inf"),
        (torch.tensor([1e-5, -1e-5], dtype=torch.float64), torch.zeros(2, dtype=torch.float64), True, "|diff| == 1e-5 passes"),
        (t + torch.tensor([1.1e-5, 0, 0, 0]), t, False, "|diff| > 1e-5 fails"),
        (torch.tensor([1.0, 2.0, 0.0, float("inf")]), t, False, "number where nan expected"),
        (torch.tensor([1.0, 2.0, float("nan"), -float("inf")]), t, False, "wrong infinity"),
        (torch.tensor([1000.0 + 2e-5], dtype=torch.float64), torch.tensor([1000.0], dtype=torch.float64), False, "tolerance is absolute (no rtol)"),
        (t.double(), t, False, "float64 for float32"),
        (t.reshape(2, 2), t, False, "shape differs"),
        (torch.tensor([1, 2]), torch.tensor([1, 2]), True, "int64 equal"),
        (torch.tensor([1, 3]), torch.tensor([1, 2]), False, "int64 off by one"),
        (torch.tensor([1, 2], dtype=torch.int32), torch.tensor([1, 2]), False, "int32 for int64"),
        (torch.tensor([True]), torch.tensor([True]), True, "bool equal"),
        (torch.tensor([False]), torch.tensor([True]), False, "bool differs"),
        ((t, t), (t, t), True, "tuple"),
        ([t, t], (t, t), False, "list for tuple"),
        ((t,), (t, t), False, "tuple length"),
        ({"a": 1, "b": 2.0}, {"a": 1, "b": 2.0 + 1e-6}, True, "dict"),
        ({"b": 2.0, "a": 1}, {"a": 1, "b": 2.0}, False, "dict key order"),
        (1, 1.0, False, "int for float"),
        (True, 1, False, "bool for int"),
        (1.0 + 2e-5, 1.0, False, "float off by 2e-5"),
        (float("nan"), float("nan"), True, "float nan"),
        ("abc", "abc", True, "str"),
        ("abd", "abc", False, "str differs"),
        (None, None, True, "None"),
        (torch.tensor(0.5), 0.5, False, "tensor for float"),
        (torch.tensor([1 + 2j]), torch.tensor([1 + 2j + 1e-6]), True, "complex within tolerance"),
        (torch.tensor([1 + 2.1j]), torch.tensor([1 + 2j]), False, "complex imaginary part differs"),
        (torch.zeros(0, 3), torch.zeros(0, 3), True, "empty tensor"),
    ]
    for actual, expected, ok, what in cases:
        r = cv(actual, expected)
        expect((r is None) == ok, "compare_values: %s%s" % (what, "" if (r is None) == ok else " -> %r" % r))
    nc = torch.rand(2, 3).t()
    expect(cv(nc, nc.contiguous()) is None, "compare_values: strides are not compared")
    expect(cv(torch.tensor([1.0], requires_grad=True), torch.tensor([1.0])) is None,
           "compare_values: requires_grad is not compared")


# --------------------------------------------------------------------------
# check.py against fake cts binaries. Each fake is a /bin/sh script that
# answers from a directory prepared here (so no fake imports torch and the
# test stays fast): run copies <case>.out<N>.pt, graph/code/info print
# <case>.graph.txt/.code.txt/.info.txt; optional files add a stderr text,
# an exit status, or a SIGSEGV.
# --------------------------------------------------------------------------

FAKE_SH = r"""#!/bin/sh
# fake cts for selftest.py: answers from %(dir)s
D='%(dir)s'
cmd=$1; model=$2; shift 2
base=$(basename "$model" .pt)
args=; out=
while [ $# -gt 0 ]; do
  case $1 in
    --args) args=$2; shift 2;;
    --output) out=$2; shift 2;;
    --method) shift 2;;
    *) echo "fake cts: unknown option $1" >&2; exit 2;;
  esac
done
[ -f "$D/signal" ] && kill -SEGV $$
case $cmd in
  run) n=$(basename "$args" .pt); n=${n##*.args}
       echo "(fake result)"
       if [ -f "$D/$base.out$n.pt" ]; then cp "$D/$base.out$n.pt" "$out"; fi;;
  graph) cat "$D/$base.graph.txt";;
  code) cat "$D/$base.code.txt";;
  info) cat "$D/$base.info.txt";;
  *) echo "fake cts: unknown command $cmd" >&2; exit 2;;
esac
[ -f "$D/stderr" ] && cat "$D/stderr" >&2
[ -f "$D/status" ] && exit $(cat "$D/status")
exit 0
"""


def _damage(v, mode):
    if isinstance(v, torch.Tensor):
        if mode == "small_error" and v.is_floating_point():
            return v + 5e-6
        if mode == "large_error" and v.is_floating_point():
            return v + 2e-5
        if mode == "dtype" and v.dtype == torch.float32:
            return v.double()
        if mode == "int_to_float" and v.dtype == torch.int64:
            return v.float()
        if mode == "shape":
            return v.unsqueeze(0)
        return v
    if isinstance(v, tuple):
        items = [_damage(e, mode) for e in v]
        return items if mode == "tuple_to_list" else tuple(items)
    if isinstance(v, list):
        return [_damage(e, mode) for e in v]
    return v


def make_fake(tmp, gendir, manifest, mode):
    """A fake cts answering like a correct one, reformatted as a correct one
    may differ (graph: other numeric ids, no source comments, trailing
    spaces; code: trailing spaces; info: extra lines), then damaged by mode."""
    import re
    d = os.path.join(tmp, mode)
    os.makedirs(d)
    for case in manifest["cases"]:
        m = case["methods"][0]
        base = case["archive"][:-3]
        for inp in m["inputs"]:
            if mode == "no_output":
                continue
            value = torch.load(os.path.join(gendir, inp["output"]))
            torch.save(_damage(value, mode), os.path.join(d, inp["output"]))
        with open(os.path.join(gendir, m["graph"])) as f:
            lines = [re.sub(r"%(\d+)\b", lambda g: "%" + str(int(g.group(1)) + 1000), l.split(" # ")[0]) + "  "
                     for l in f.read().splitlines()]
        if mode == "graph_swap":
            k = next(i for i, l in enumerate(lines) if "prim::Constant" in l)
            lines[k], lines[k + 1] = lines[k + 1], lines[k]
        if mode == "graph_rename":
            lines = [l.replace("%x.1", "%x.2") for l in lines]
        with open(os.path.join(d, base + ".graph.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        with open(os.path.join(gendir, m["code"])) as f:
            code = f.read()
        if mode == "code_change":
            code = code.replace("Tensor", "Tensro", 1)
        with open(os.path.join(d, base + ".code.txt"), "w") as f:
            f.write("\n".join(l + " " for l in code.splitlines()) + "\n\n")
        with open(os.path.join(gendir, case["info"])) as f:
            info = ["archive: %s (version %s)" % (case["archive"], case["archive_version"]), f.read().rstrip()]
        if mode != "info_missing":
            info += ["  %s %s %s %s" % (t["kind"], t["name"], t["shape"], t["dtype"]) for t in case["tensors"]]
            info += ["ops:"] + ["  %s.Tensor  implemented" % op for op in case["ops"] if mode != "info_no_ops"]
        with open(os.path.join(d, base + ".info.txt"), "w") as f:
            f.write("\n".join(info) + "\n")
    if mode == "asan":
        with open(os.path.join(d, "stderr"), "w") as f:
            f.write("==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000014\n")
    if mode == "exit1":
        with open(os.path.join(d, "stderr"), "w") as f:
            f.write("cts: something went wrong\n")
        with open(os.path.join(d, "status"), "w") as f:
            f.write("1\n")
    if mode == "crash":
        open(os.path.join(d, "signal"), "w").close()
    cts = os.path.join(d, "cts")
    with open(cts, "w") as f:
        f.write(FAKE_SH % {"dir": d})
    os.chmod(cts, 0o755)
    return cts


def run_check_inprocess(gendir, cts, case, kinds):
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = check.main(["--cts", cts, "--dir", gendir, "--case", case] + ["--check-" + k for k in kinds])
    return rc, buf.getvalue()


def run_check_cli(gendir, cts, case, kinds=()):
    argv = [sys.executable, os.path.join(HERE, "check.py"), "--cts", cts, "--dir", gendir, "--case", case] + \
        ["--check-" + k for k in kinds]
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def test_check_against_fake(gendir, manifest):
    modes = ["good", "small_error", "large_error", "dtype", "int_to_float", "shape", "tuple_to_list",
             "no_output", "exit1", "crash", "asan", "graph_swap", "graph_rename", "code_change", "info_missing", "info_no_ops"]
    with tempfile.TemporaryDirectory(prefix="fake-cts-") as tmp:
        fakes = {mode: make_fake(tmp, gendir, manifest, mode) for mode in modes}
        # (what, case, mode, check kinds, expected exit status)
        # the fakes answer run, graph, code and info (save and trace are
        # judged with the real cts by their own tests)
        fake_kinds = ["run", "graph", "code", "info"]
        runs = [("passes a correct cts on %s" % c["name"], c["name"], "good", fake_kinds, 0)
                for c in manifest["cases"]]
        for case, mode, kinds, want in [
            ("mycell_traced", "small_error", ["run"], 0),
            ("mycell_traced", "large_error", ["run"], 1),
            ("foo_traced", "dtype", ["run"], 1),
            ("foo_traced", "int_to_float", ["run"], 1),
            ("loop_scripted", "shape", ["run"], 1),
            ("mycell_scripted", "tuple_to_list", ["run"], 1),
            ("mymodel_scripted", "no_output", ["run"], 1),
            ("foo_traced", "exit1", ["run"], 1),
            ("foo_traced", "exit1", ["graph"], 1),
            ("foo_traced", "crash", ["run"], 1),
            ("foo_traced", "crash", ["code"], 1),
            ("foo_traced", "asan", ["run"], 1),
            ("foo_traced", "asan", ["info"], 1),
            ("loop_scripted", "graph_swap", ["graph"], 1),
            ("foo_traced", "graph_rename", ["graph"], 1),
            ("mycell_scripted", "code_change", ["code"], 1),
            ("mymodel_scripted", "info_missing", ["info"], 1),
            ("loop_scripted", "info_no_ops", ["info"], 1),
        ]:
            runs.append(("%s a cts in mode %s on %s %s" % ("passes" if want == 0 else "fails", mode, case, kinds),
                         case, mode, kinds, want))
        runs.append(("--check-graph runs only the graph check", "foo_traced", "good", ["graph"], 0))
        for what, case, mode, kinds, want in runs:
            rc, out = run_check_inprocess(gendir, fakes[mode], case, kinds)
            ok = rc == want
            if kinds == ["graph"] and mode == "good":
                ok = ok and " run " not in out and " code " not in out
            expect(ok, "check.py " + what)
            if not ok:
                print(out)
        # the command line itself, in a process of its own
        rc, out = run_check_cli(gendir, fakes["good"], "mycell_traced", fake_kinds)
        expect(rc == 0 and "6 of 6 checks passed" in out, "check.py CLI: exit 0 on a correct cts")
        rc, out = run_check_cli(gendir, fakes["large_error"], "mycell_traced", ["run"])
        expect(rc == 1 and "FAIL" in out, "check.py CLI: exit 1 on a wrong cts")
        rc, out = run_check_cli(gendir, fakes["good"], "nope")
        expect(rc == 2, "check.py CLI: exit 2 for an unknown case")
        rc, out = run_check_cli(gendir, os.path.join(tmp, "missing-cts"), "foo_traced", ["graph"])
        expect(rc == 1 and "not found" in out, "check.py CLI: exit 1 when the cts binary is missing")


def main(argv):
    if len(argv) != 1:
        print("usage: selftest.py GENDIR", file=sys.stderr)
        return 2
    gendir = argv[0]
    with open(os.path.join(gendir, "manifest.json")) as f:
        manifest = json.load(f)
    test_corpus(gendir, manifest)
    test_normalizer_on_torch(gendir, manifest)
    test_compare_values()
    test_check_against_fake(gendir, manifest)
    print("selftest: %d failure(s)" % len(failures))
    for f in failures:
        print("  FAILED: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
