#!/usr/bin/python3
"""Check `cts bench --json`: one JSON object on stdout with the keys of issue 4.

    python3 check_bench_json.py --cts build/cts MODEL.pt [--args ARGS.pt]

Runs `cts bench MODEL.pt [--args ARGS.pt] --json --runs 5 --warmup 2 --threads T`
for T = 1 and 2 and checks: exit 0, stdout is exactly one JSON object whose
keys are load_ms, first_ms, median_ms, min_ms, max_ms, runs, threads,
peak_rss_kb; the times are non-negative numbers with min <= median <= max;
runs == 5, threads == T (integers); peak_rss_kb a positive integer. Then that
the human-readable form (no --json) names the same quantities, and that bad
options are usage errors (exit 2). Needs only the standard library.
"""
import argparse
import json
import subprocess
import sys

KEYS = ("load_ms", "first_ms", "median_ms", "min_ms", "max_ms", "runs", "threads", "peak_rss_kb")


def run(argv):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_json(cts, model, extra, threads):
    argv = [cts, "bench", model] + extra + ["--json", "--runs", "5", "--warmup", "2", "--threads", str(threads)]
    rc, out, err = run(argv)
    where = " ".join(argv)
    if rc != 0:
        return "%s: exit %d: %s" % (where, rc, err.strip())
    try:
        obj = json.loads(out)
    except ValueError as e:
        return "%s: stdout is not one JSON object (%s): %r" % (where, e, out)
    if not isinstance(obj, dict):
        return "%s: JSON is a %s, not an object" % (where, type(obj).__name__)
    if sorted(obj) != sorted(KEYS):
        return "%s: keys %s, expected %s" % (where, sorted(obj), sorted(KEYS))
    for k in KEYS:
        v = obj[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            return "%s: %s = %r is not a non-negative number" % (where, k, v)
    for k in ("runs", "threads", "peak_rss_kb"):
        if not isinstance(obj[k], int):
            return "%s: %s = %r is not an integer" % (where, k, obj[k])
    if obj["runs"] != 5:
        return "%s: runs = %r, expected 5" % (where, obj["runs"])
    if obj["threads"] != threads:
        return "%s: threads = %r, expected %d" % (where, obj["threads"], threads)
    if obj["peak_rss_kb"] <= 0:
        return "%s: peak_rss_kb = %r" % (where, obj["peak_rss_kb"])
    if not obj["min_ms"] <= obj["median_ms"] <= obj["max_ms"]:
        return "%s: not min <= median <= max: %r" % (where, obj)
    if "sanitizer" in err.lower() or "runtime error:" in err:
        return "%s: sanitizer report: %s" % (where, err)
    print("PASS %s -> %s" % (where, json.dumps(obj)))
    return None


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cts", required=True)
    ap.add_argument("model")
    ap.add_argument("--args")
    a = ap.parse_args(argv)
    extra = ["--args", a.args] if a.args else []
    problems = []
    for t in (1, 2):
        r = check_json(a.cts, a.model, extra, t)
        if r:
            problems.append(r)
    rc, out, err = run([a.cts, "bench", a.model] + extra + ["--runs", "3"])
    words = ("load", "first", "median", "min", "max", "rss")
    if rc != 0 or not all(w in out.lower() for w in words):
        problems.append("cts bench (text): exit %d, output lacks one of %s:\n%s%s" % (rc, words, out, err))
    for bad in (["--runs", "0"], ["--threads", "x"], ["--warmup", "-1"], ["--frobnicate"], ["--runs"]):
        rc, out, err = run([a.cts, "bench", a.model] + bad)
        if rc != 2 or not err.strip():
            problems.append("cts bench %s: exit %d (expected 2 with a message), stderr %r" % (" ".join(bad), rc, err))
    rc, out, err = run([a.cts, "bench", a.model + ".does-not-exist"])
    if rc != 1 or not err.strip():
        problems.append("cts bench on a missing file: exit %d (expected 1 with a message)" % rc)
    for p in problems:
        print("FAIL " + p)
    if not problems:
        print("PASS cts bench: JSON keys, values, text form and usage errors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
