#!/usr/bin/python3
"""The measurements of `cts bench`, taken with libtorch on the same archive.

    /usr/bin/python3 bench/libtorch_bench.py MODEL.pt ARGS.pt [--threads N] [--runs N]
                     [--warmup N] [--method NAME] [--grad] [--optimize]

torch.set_num_threads(N) (default 1), then in one process: torch.jit.load
(timed: load_ms; with --optimize, torch.jit.freeze and
torch.jit.optimize_for_inference too, which uses oneDNN here), the first call (first_ms: the profiling executor profiles
it), --warmup untimed calls (default 2: the executor optimizes on call 2),
then --runs timed calls (median_ms, min_ms, max_ms). Calls run under
torch.no_grad() unless --grad, as a C++ deployment with NoGradGuard does.
peak_rss_kb is the process's ru_maxrss, Python and libtorch included (about
160 MiB before any model, see docs/baseline.md). Prints one JSON object with
the keys of `cts bench --json`: load_ms, first_ms, median_ms, min_ms, max_ms,
runs, threads, peak_rss_kb. The time to import torch is not counted.
"""
import argparse
import contextlib
import json
import resource
import statistics
import sys
import time


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("args")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--method", default="forward")
    ap.add_argument("--grad", action="store_true", help="call with autograd enabled")
    ap.add_argument("--optimize", action="store_true",
                    help="torch.jit.freeze + torch.jit.optimize_for_inference after loading (counted in load_ms)")
    a = ap.parse_args(argv)
    if a.runs < 1 or a.threads < 1 or a.warmup < 0:
        ap.error("--runs and --threads must be >= 1, --warmup >= 0")
    import torch
    torch.set_num_threads(a.threads)
    args = torch.load(a.args)
    if not isinstance(args, (tuple, list)):
        args = (args,)

    t0 = time.perf_counter()
    m = torch.jit.load(a.model, map_location="cpu")
    m.eval()
    if a.optimize:
        m = torch.jit.optimize_for_inference(torch.jit.freeze(m))
    load_ms = (time.perf_counter() - t0) * 1e3
    fn = getattr(m, a.method)
    ctx = contextlib.nullcontext() if a.grad else torch.no_grad()
    with ctx:
        t0 = time.perf_counter()
        fn(*args)
        first_ms = (time.perf_counter() - t0) * 1e3
        for _ in range(a.warmup):
            fn(*args)
        lat = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            fn(*args)
            lat.append((time.perf_counter() - t0) * 1e3)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"load_ms": round(load_ms, 4), "first_ms": round(first_ms, 4),
                      "median_ms": round(statistics.median(lat), 4), "min_ms": round(min(lat), 4),
                      "max_ms": round(max(lat), 4), "runs": a.runs, "threads": torch.get_num_threads(),
                      "peak_rss_kb": rss}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
