#!/usr/bin/python3
"""Self-test of check_models.py: it must pass exactly the right answers.

    /usr/bin/python3 selftest.py

Builds, in a temporary directory, a fake corpus (M.json, args, expected
outputs) and a fake `cts` (a Python script without torch) whose `run` writes a
chosen answer for each case, then runs check_models.main on every case and checks its
verdict (exit 0 PASS / 1 FAIL) and the words of its one-line report. Exit 0
when every verdict is right, 1 otherwise, 77 when torch is missing.
"""
import contextlib
import io
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_models  # noqa: E402  (judged in-process: one import of torch)

try:
    import torch
except ImportError as e:
    print("SKIP: %s cannot import torch (%s)" % (sys.executable, e))
    sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77)

FAKE_CTS = r'''#!/usr/bin/python3
import shutil, sys
argv = sys.argv[1:]
assert argv[0] == "run", argv
archive = argv[1]
out = argv[argv.index("--output") + 1]
spec = open(archive).read().strip()
if spec == "crash":
    import os, signal
    os.kill(os.getpid(), signal.SIGSEGV)
if spec == "error":
    print("cts: error: operator not implemented in cts: aten::frobnicate(Tensor self) -> Tensor", file=sys.stderr)
    sys.exit(1)
if spec == "no-output":
    print("tensor(...)")
    sys.exit(0)
print("result")
shutil.copyfile(spec, out)
'''

# name: (expected value, answer cts gives, should pass, word expected in the line)
torch.manual_seed(0)
E = torch.randn(3, 4) * 10          # max |E| about 20: atol about 2e-3


def near(t, k):
    """t with every element moved by k * (atol + rtol |t|), atol from t's scale."""
    return t + k * (1e-4 * float(t.abs().max()) + 1e-4 * t.abs())


CASES = {
    "exact":            (E, E.clone(), True, "PASS"),
    "within_tol":       (E, near(E, 0.9), True, "PASS"),
    "outside_tol":      (E, near(E, 1.5), False, "outside"),
    "one_element_off":  (E, E.clone().index_put_((torch.tensor(2), torch.tensor(3)), torch.tensor(0.5)), False,
                         "1 of 12"),
    "wrong_dtype":      (E, E.double(), False, "dtype"),
    "wrong_shape":      (E, E.reshape(4, 3), False, "shape"),
    "nan_expected":     (torch.tensor([1.0, float("nan")]), torch.tensor([1.0, float("nan")]), True, "PASS"),
    "nan_unexpected":   (torch.tensor([1.0, 2.0]), torch.tensor([1.0, float("nan")]), False, "outside"),
    "inf_same":         (torch.tensor([1.0, float("inf")]), torch.tensor([1.0, float("inf")]), True, "PASS"),
    "int_exact":        (torch.arange(6), torch.arange(6), True, "PASS"),
    "int_off_by_one":   (torch.arange(6), torch.arange(6) + (torch.arange(6) == 5), False, "differ"),
    "tuple_ok":         ((E, (E, E)), (E, (E.clone(), E.clone())), True, "PASS"),
    "tuple_vs_list":    ((E, E), [E, E], False, "expected tuple"),
    "tuple_length":     ((E, E), (E,), False, "length"),
    "none_in_tuple":    ((E, None, None), (E, None, None), True, "PASS"),
    "none_vs_tensor":   ((E, None), (E, E), False, "expected NoneType"),
    "small_and_large":  ((E, E / 1e6), (E, near(E / 1e6, 0.5)), True, "PASS"),  # atol per tensor
    "zero_tensor":      (torch.zeros(3), torch.zeros(3), True, "PASS"),
    "zero_vs_tiny":     (torch.zeros(3), torch.full((3,), 1e-30), False, "outside"),
}
SPECIAL = {"crash": (E, "crash", False, "signal"), "error": (E, "error", False, "aten::frobnicate"),
           "no_output": (E, "no-output", False, "no --output")}


def main():
    bad = 0
    with tempfile.TemporaryDirectory(prefix="cts-models-selftest-") as d:
        cts = os.path.join(d, "fake_cts")
        with open(cts, "w") as f:
            f.write(FAKE_CTS)
        os.chmod(cts, 0o755)
        torch.save((torch.zeros(1),), os.path.join(d, "x.args.pt"))
        for name, (expected, answer, should_pass, word) in list(CASES.items()) + list(SPECIAL.items()):
            torch.save(expected, os.path.join(d, name + ".expected.pt"))
            if isinstance(answer, str):
                spec = answer
            else:
                spec = os.path.join(d, name + ".answer.pt")
                torch.save(answer, spec)
            with open(os.path.join(d, name + ".scripted.pt"), "w") as f:
                f.write(spec + "\n")
            with open(os.path.join(d, name + ".json"), "w") as f:
                json.dump({"name": name, "files": {"args": "x.args.pt"},
                           "kinds": {"scripted": {"archive": name + ".scripted.pt",
                                                  "output": name + ".expected.pt"}}}, f)
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                rc = check_models.main(["--cts", cts, "--dir", d, "--model", name, "--kind", "scripted"])
            out = buf.getvalue()
            first = out.splitlines()[0] if out else ""
            ok = (rc == 0) == should_pass and first.startswith("PASS" if should_pass else "FAIL") and word in first
            print("%s %s: check_models said %r (exit %d)" % ("ok  " if ok else "BAD ", name, first, rc))
            if not ok:
                bad += 1
                print(out)
    print("selftest: %d of %d verdicts right" % (len(CASES) + len(SPECIAL) - bad, len(CASES) + len(SPECIAL)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
