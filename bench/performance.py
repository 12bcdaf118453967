#!/usr/bin/python3
"""cts against libtorch (plain and optimized) and ONNX Runtime, side by side.

    /usr/bin/python3 bench/performance.py ZOO_DIR [--cts build/cts] [--threads 1,2]
        [--models a,b] [--rounds N] [--runs N] [--out docs/performance.md] [--json OUT]

ZOO_DIR is what tests/models/gen_models.py wrote (build/models).  Needs
`npm install --ignore-scripts` in bench/ (onnxruntime-node) and Debian's
python3-torch.  For every model (the traced archive; the bundled MyCell as
`mycell`) and thread count, in one session, alternating the four in each
round:

  cts                `cts bench ARCHIVE --args ARGS --threads N --json`
  libtorch           bench/libtorch_bench.py (torch.jit.load, no_grad)
  libtorch optimized bench/libtorch_bench.py --optimize (torch.jit.freeze +
                     torch.jit.optimize_for_inference, oneDNN)
  ONNX Runtime       bench/ort_bench.js on the model exported by
                     bench/export_onnx.py (torch.onnx.export of the same archive)

Each round gives each side's median over --runs calls after 2 warm-up calls;
the table shows, per side, the median over the rounds of those medians, and
of load time, first-call time and peak RSS.  Ratios: cts / ORT and cts / the
better libtorch.  Writes the markdown table, the date and the CPU to --out.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = ("resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "efficientnet_b0", "vit_b_16", "lstm",
          "transformer_encoder", "text_classifier", "mycell")
BIG = ("resnet50", "vit_b_16")
SIDES = ("cts", "libtorch", "libtorch_opt", "ort")
LABEL = {"cts": "cts", "libtorch": "libtorch", "libtorch_opt": "libtorch frozen+opt", "ort": "ONNX Runtime"}


def run_json(argv, timeout=3600):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if p.returncode != 0:
        err = [ln for ln in p.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        return None, (err[-1] if err else "exit %d" % p.returncode)[:200]
    try:
        return json.loads(p.stdout.decode().strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, "no JSON"


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for ln in f:
                if ln.startswith("model name"):
                    name = ln.split(":", 1)[1].strip()
                    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
                    isa = "AVX-512" if " avx512f" in flags else "AVX2" if " avx2" in flags else "no AVX2"
                    return "%s, %d cores, %s" % (name, os.cpu_count() or 0, isa)
    except OSError:
        pass
    return platform.processor() or "unknown"


def fmt(x):
    return "-" if x is None else ("%.3f" % x if x < 1 else "%.2f" % x if x < 10 else "%.1f" % x)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zoo")
    ap.add_argument("--cts", default=os.path.join(ROOT, "build", "cts"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "performance.md"))
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    models = [m for m in a.models.split(",") if m]
    threads = [int(t) for t in a.threads.split(",")]
    if not os.path.isdir(os.path.join(HERE, "node_modules", "onnxruntime-node")):
        print("performance.py: run `npm install --ignore-scripts` in bench/ first (onnxruntime-node)")
        return 2
    files = {}
    for m in models:
        if m == "mycell":
            files[m] = (os.path.join(ROOT, "examples", "mycell.pt"), os.path.join(ROOT, "examples", "mycell_args.pt"))
        else:
            files[m] = (os.path.join(a.zoo, m + ".traced.pt"), os.path.join(a.zoo, m + ".args.pt"))
    onnx_dir = tempfile.mkdtemp(prefix="cts-onnx-")
    exp = [sys.executable, os.path.join(HERE, "export_onnx.py"), a.zoo, onnx_dir,
           "--models", ",".join(m for m in models if m != "mycell")]
    if "mycell" in models:
        exp += ["--archive", "mycell=%s:%s" % files["mycell"]]
    subprocess.run(exp)
    results = {}
    for m in models:
        arc, args = files[m]
        onnx = os.path.join(onnx_dir, m + ".onnx")
        for t in threads:
            runs = max(3, a.runs // 3) if m in BIG else (100 if m == "mycell" else a.runs)
            cmds = {
                "cts": [a.cts, "bench", arc, "--args", args, "--threads", str(t), "--runs", str(runs), "--warmup",
                        "2", "--json"],
                "libtorch": [sys.executable, os.path.join(HERE, "libtorch_bench.py"), arc, args, "--threads", str(t),
                             "--runs", str(runs)],
                "libtorch_opt": [sys.executable, os.path.join(HERE, "libtorch_bench.py"), arc, args, "--threads",
                                 str(t), "--runs", str(runs), "--optimize"],
                "ort": ["node", os.path.join(HERE, "ort_bench.js"), onnx, os.path.join(onnx_dir, m + ".inputs.json"),
                        "--threads", str(t), "--runs", str(runs)],
            }
            per = {s: [] for s in SIDES}
            errs = {}
            for r in range(a.rounds):
                order = SIDES[r % len(SIDES):] + SIDES[:r % len(SIDES)]  # alternate who goes first
                for s in order:
                    if s == "ort" and not os.path.exists(onnx):
                        errs[s] = "no ONNX export"
                        continue
                    res, err = run_json(cmds[s])
                    if res:
                        per[s].append(res)
                    else:
                        errs[s] = err
            summary = {}
            for s in SIDES:
                if per[s]:
                    summary[s] = {k: statistics.median(x[k] for x in per[s])
                                  for k in ("median_ms", "min_ms", "max_ms", "first_ms", "load_ms", "peak_rss_kb")}
                else:
                    summary[s] = {"error": errs.get(s, "no result")}
            results["%s/%d" % (m, t)] = summary
            c = summary["cts"].get("median_ms")
            line = ["%-20s %d thr" % (m, t)] + ["%s %s" % (s, fmt(summary[s].get("median_ms"))) for s in SIDES]
            print("  ".join(line), flush=True)
            if c is None:
                print("    cts: %s" % summary["cts"].get("error"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    write_table(a.out, results, models, threads, a)
    return 0


def write_table(path, results, models, threads, a):
    rows = ["| model | threads | cts median ms (min-max) | first / median | libtorch | libtorch frozen+opt | "
            "ONNX Runtime | cts / ORT | cts / best libtorch | load ms cts / libtorch opt / ORT | "
            "peak RSS MiB cts / libtorch opt / ORT |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in models:
        for t in threads:
            s = results.get("%s/%d" % (m, t), {})
            c, lt, lo, ort = (s.get(k, {}) for k in SIDES)
            cm = c.get("median_ms")
            best = min([x for x in (lt.get("median_ms"), lo.get("median_ms")) if x is not None], default=None)
            ratio = lambda x: "-" if cm is None or x is None else "%.2f" % (cm / x)  # noqa: E731
            mib = lambda d: "-" if d.get("peak_rss_kb") is None else "%d" % (d["peak_rss_kb"] / 1024)  # noqa: E731
            rows.append("| %s | %d | %s (%s-%s) | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s |" % (
                m, t, fmt(cm), fmt(c.get("min_ms")), fmt(c.get("max_ms")),
                "-" if cm is None else "%.2f" % (c["first_ms"] / cm),
                fmt(lt.get("median_ms")), fmt(lo.get("median_ms")), fmt(ort.get("median_ms")),
                ratio(ort.get("median_ms")), ratio(best),
                fmt(c.get("load_ms")), fmt(lo.get("load_ms")), fmt(ort.get("load_ms")), mib(c), mib(lo), mib(ort)))
    errors = ["- %s, %s: %s" % (k, LABEL[s], v["error"]) for k, r in results.items() for s, v in r.items()
              if "error" in v]
    text = """# Performance: cts against libtorch and ONNX Runtime

`/usr/bin/python3 bench/performance.py build/models --cts build/cts` (after
`make test-models` or the zoo's generation, and `npm install
--ignore-scripts` in `bench/`): every model's traced archive, in one
session, alternating cts (`cts bench`), libtorch 1.13 (`torch.jit.load`, and
`torch.jit.freeze` + `torch.jit.optimize_for_inference`), and ONNX Runtime
(onnxruntime-node, the model exported from the same archive by
`torch.onnx.export`), at each thread count; %d rounds of %d calls after 2
warm-up calls each (fewer for resnet50 and vit_b_16, 100 for MyCell),
medians over the rounds.  Ratios below 1: cts faster.  libtorch's RSS
includes Python (about 240 MiB before any model), ORT's Node (about 50 MiB).

Run on %s, %s.

%s
""" % (a.rounds, a.runs, datetime.date.today().isoformat(), cpu_name(), "\n".join(rows))
    if errors:
        text += "\nSides without a result:\n\n" + "\n".join(errors) + "\n"
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s" % path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
