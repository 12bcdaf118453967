#!/usr/bin/python3
"""cts against libtorch on every model of a generated zoo directory.

    /usr/bin/python3 bench/compare.py DIR [--cts build/cts] [--threads 1]
        [--kinds scripted,traced] [--models a,b] [--runs N] [--warmup N] [--json OUT]

DIR is what tests/models/gen_models.py wrote (build/models under a build
tree). For every model and kind, one after the other (never both at once, so
they do not share the cores): `cts bench ARCHIVE --args ARGS --json` and
`bench/libtorch_bench.py ARCHIVE ARGS` with the same --threads, --runs and
--warmup. Prints a markdown table: model, kind, cts median ms, libtorch
median ms, ratio (cts / libtorch: below 1 is cts faster), and the load times
and peak RSS of both. A side that fails shows its first error line.
--runs defaults to 10, and to 3 for the big models (vit_b_16 takes about
10 s a call in libtorch at one thread).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BIG = ("vit_b_16", "inception_v3", "densenet121", "resnet50", "vgg11", "convnext_tiny")


def run_json(argv, timeout):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out after %d s" % timeout
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        return None, (lines[-1] if lines else "exit %d" % p.returncode)[:200]
    try:
        return json.loads(out.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, "no JSON on stdout: %r" % out[:200]


def short(err):
    """The op or node kind a cts error names, else the error's tail."""
    m = re.search(r"operator not implemented in cts: ([\w:.]+)\(", err)
    if m:
        return "missing `%s`" % m.group(1)
    m = re.search(r"node kind (\S+) is not supported", err)
    if m:
        return "unsupported `%s`" % m.group(1)
    return err if len(err) <= 100 else "..." + err[-97:]


def fmt_ms(v):
    return "%.3f" % v if v < 10 else "%.1f" % v


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--cts", default=os.environ.get("CTS", os.path.join(HERE, "..", "build", "cts")))
    ap.add_argument("--python", default="/usr/bin/python3", help="the interpreter with torch")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--kinds", default="scripted,traced")
    ap.add_argument("--models")
    ap.add_argument("--runs", type=int)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=1800)
    ap.add_argument("--json", help="also write all measurements to this file")
    a = ap.parse_args(argv)
    with open(os.path.join(a.dir, "manifest.json")) as f:
        manifest = json.load(f)
    entries = manifest["models"]
    if a.models:
        want = a.models.split(",")
        entries = [e for e in entries if e["name"] in want]
    kinds = a.kinds.split(",")
    results = []
    print("| model | kind | cts median ms | libtorch median ms | ratio | cts load ms | libtorch load ms "
          "| cts peak RSS MiB | libtorch peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for e in entries:
        runs = a.runs or (3 if e["name"] in BIG else 10)
        args = os.path.join(a.dir, e["files"]["args"])
        for kind in kinds:
            archive = os.path.join(a.dir, e["kinds"][kind]["archive"])
            common = ["--threads", str(a.threads), "--runs", str(runs), "--warmup", str(a.warmup)]
            c, cerr = run_json([a.cts, "bench", archive, "--args", args, "--json"] + common, a.timeout)
            t, terr = run_json([a.python, os.path.join(HERE, "libtorch_bench.py"), archive, args] + common,
                               a.timeout)
            results.append({"model": e["name"], "kind": kind, "cts": c, "cts_error": cerr,
                            "libtorch": t, "libtorch_error": terr})
            cm = fmt_ms(c["median_ms"]) if c else "fail: %s" % short(cerr)
            tm = fmt_ms(t["median_ms"]) if t else "fail: %s" % short(terr)
            ratio = "%.2f" % (c["median_ms"] / t["median_ms"]) if c and t and t["median_ms"] > 0 else "-"
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                e["name"], kind, cm, tm, ratio,
                fmt_ms(c["load_ms"]) if c else "-", fmt_ms(t["load_ms"]) if t else "-",
                "%.0f" % (c["peak_rss_kb"] / 1024) if c else "-",
                "%.0f" % (t["peak_rss_kb"] / 1024) if t else "-"), flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"threads": a.threads, "warmup": a.warmup, "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
