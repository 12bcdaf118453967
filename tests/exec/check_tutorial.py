#!/usr/bin/python3
"""Run a tutorial program (examples/tutorial/*.py) with PyTorch and with
`cts exec`, and compare what they print.

    /usr/bin/python3 check_tutorial.py CTS PROGRAM.py

Both run in fresh temporary directories (the programs write archives there).
Their standard outputs must be equal after these rules, applied to both:

1. `, grad_fn=<...>` goes from tensor prints (cts computes no gradients).
2. The line torch.__version__ prints is replaced by `<version>`.
3. Graph texts (`graph(` up to the closing `return (...)`) are normalized
   with tests/conformance/normalize_graph.py (source comments, numeric
   value names).
Tensor values are compared as printed: cts's generator reproduces
PyTorch's, so the same seed gives the same numbers.

Archives the program saves (torch.jit.save, m.save) must exist in both
runs; each one cts wrote must load in PyTorch with the same parameters as
PyTorch's own (exactly: the same seed gives the same weights), the same
buffers (within rtol 1e-5, atol 1e-6: running statistics are sums in another
order),
the same code, and the same outputs (within 1e-5) on the inputs that
ARCHIVE_INPUTS lists for it.

Exit 0 equal, 1 different (a diff is printed), 77 when torch is missing.
"""
import difflib
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
from normalize_graph import normalize  # noqa: E402



def graph_block(lines):
    return normalize("\n".join(lines) + "\n").splitlines()


def normalize_output(text):
    text = re.sub(r", grad_fn=<\w+>", "", text)
    lines = text.splitlines()
    res, i = [], 0
    while i < len(lines):
        ln = lines[i]
        if re.fullmatch(r"\d+\.\d+\.\d+\S*", ln.strip()):
            res.append("<version>")
            i += 1
            continue
        if ln.startswith("graph("):
            j = i
            while j < len(lines) and not lines[j].startswith("  return ("):
                j += 1
            res.extend(graph_block(lines[i:j + 1]))
            i = j + 1
            continue
        res.append(ln)
        i += 1
    return res


# inputs to call each saved archive's forward with (shapes of torch.rand tensors)
ARCHIVE_INPUTS = {
    "wrapped_rnn.pt": [(10, 3, 4)],
    "my_module.pt": [(20,)],
    "my_script_module.pt": [(1, 3, 224, 224)],
}


def check_archives(want_dir, got_dir):
    import torch
    problems = []
    for name in sorted(os.listdir(want_dir)):
        if not name.endswith(".pt"):
            continue
        ours = os.path.join(got_dir, name)
        if not os.path.exists(ours):
            problems.append("%s: PyTorch wrote it, cts did not" % name)
            continue
        a, b = torch.jit.load(os.path.join(want_dir, name)), torch.jit.load(ours)
        for what in ("named_parameters", "named_buffers"):
            pa, pb = list(getattr(a, what)()), list(getattr(b, what)())
            if [n for n, _ in pa] != [n for n, _ in pb]:
                problems.append("%s: %s differ: %s vs %s" % (name, what, [n for n, _ in pa], [n for n, _ in pb]))
            elif what == "named_parameters" and not all(torch.equal(x, y) for (_, x), (_, y) in zip(pa, pb)):
                problems.append("%s: %s values differ" % (name, what))
            elif not all(x.shape == y.shape and torch.allclose(x.double(), y.double(), rtol=1e-5, atol=1e-6)
                         for (_, x), (_, y) in zip(pa, pb)):
                problems.append("%s: %s values differ" % (name, what))
        if a.code != b.code:
            problems.append("%s: code differs:\n%s\n---\n%s" % (name, a.code, b.code))
        if name not in ARCHIVE_INPUTS:
            problems.append("%s: no inputs listed in ARCHIVE_INPUTS" % name)
            continue
        torch.manual_seed(0)
        args = [torch.rand(s) for s in ARCHIVE_INPUTS[name]]
        ra, rb = a(*args), b(*args)
        flat_a = ra if isinstance(ra, tuple) else (ra,)
        flat_b = rb if isinstance(rb, tuple) else (rb,)
        if len(flat_a) != len(flat_b) or not all(torch.allclose(x, y, atol=1e-5) for x, y in zip(flat_a, flat_b)):
            problems.append("%s: outputs differ in PyTorch" % name)
    return problems


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if p.returncode != 0:
        print("%s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout[-2000:], p.stderr[-3000:]))
        sys.exit(1)
    return p.stdout


def main():
    cts, prog = sys.argv[1], os.path.abspath(sys.argv[2])
    try:
        import torch  # noqa: F401
    except ImportError:
        print("SKIP: /usr/bin/python3 has no torch")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        want = normalize_output(run([sys.executable, prog], a))
        got = normalize_output(run([os.path.abspath(cts), "exec", prog], b))
        problems = check_archives(a, b)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    if want != got:
        print("".join(difflib.unified_diff([l + "\n" for l in want], [l + "\n" for l in got], "pytorch", "cts")))
        sys.exit(1)
    print("ok %s (%d lines)" % (os.path.basename(prog), len(want)))


if __name__ == "__main__":
    main()
