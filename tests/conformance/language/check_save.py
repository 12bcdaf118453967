#!/usr/bin/python3
"""`cts save` over the whole language corpus (gen_language.py's OUTDIR).

    /usr/bin/python3 check_save.py --cts build/cts --dir build/conformance/language [--only PROG,...]

For every archive PyTorch wrote for the corpus (one per scripted function,
one per scripted module of MODULE_CASES): `cts save` it twice (two folders,
one file name) and require identical bytes; torch.jit.load the copy; then
run every case that the corpus ran on the original archive and require
PyTorch's result on the copy to equal the original's exactly (tolerance 0;
a case that raised must raise again).  Prints a FAIL line per problem and a
summary line `check_save: N archives, M cases: K failed`.  Exit status 0
when nothing failed, 1 otherwise, 77 without torch (1 with
CTS_REQUIRE_TORCH=1), 2 usage or missing corpus.
"""
import argparse
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import check as conf  # noqa: E402  (need_torch, run_cts, compare_values, cts_save_twice)


def quiet(call):
    """Runs call() with file descriptor 1 on /dev/null: the programs print
    (TorchScript print writes to the C++ stdout), which is not judged here."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        return call()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cts", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--only", help="comma-separated program names")
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args(argv)
    conf.need_torch()
    torch = conf.torch
    try:
        with open(os.path.join(a.dir, "manifest.json")) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print("ERROR: cannot read %s/manifest.json: %s" % (a.dir, e))
        return 2
    only = set(a.only.split(",")) if a.only else None
    cts = os.path.abspath(a.cts)
    narch = ncases = nfail = 0

    def fail(msg):
        nonlocal nfail
        nfail += 1
        print("FAIL %s" % msg)

    with tempfile.TemporaryDirectory(prefix="cts-lang-save-") as tmp:
        for prog in manifest["programs"]:
            if only and prog["name"] not in only:
                continue
            # archive -> the calls the corpus made on the original
            work = {}
            for fn in prog["functions"]:
                if fn.get("archive"):
                    work[fn["archive"]] = ("forward", [])
            for case in prog["cases"]:
                arc = case.get("archive")
                if arc and arc["path"] in work:
                    work[arc["path"]][1].append((case["args"], arc.get("output"), arc.get("error")))
            for mc in prog["module_cases"]:
                work.setdefault(mc["archive"], (mc["method"], []))[1].append((mc["args"], mc.get("output"), None))
            for arc, (method, calls) in sorted(work.items()):
                narch += 1
                sub = os.path.join(tmp, str(narch))
                saved, why = conf.cts_save_twice(cts, os.path.join(a.dir, arc), sub, a.timeout)
                if why:
                    fail("%s: %s" % (arc, why[0]))
                    continue
                try:
                    m = torch.jit.load(saved)
                except Exception as e:  # noqa: BLE001 - any load failure is the finding
                    fail("%s: torch.jit.load of cts's archive: %s: %s" % (arc, type(e).__name__,
                                                                         str(e).strip().splitlines()[-1:]))
                    continue
                for args_path, out_path, err in calls:
                    ncases += 1
                    args = torch.load(os.path.join(a.dir, args_path))
                    try:
                        got = quiet(lambda: getattr(m, method)(*args))
                    except Exception as e:  # noqa: BLE001
                        if not err:
                            fail("%s %s: PyTorch raised on cts's archive: %s" % (arc, args_path, type(e).__name__))
                        continue
                    if err:
                        fail("%s %s: the original raised, cts's archive returned" % (arc, args_path))
                        continue
                    diff = conf.compare_values(got, torch.load(os.path.join(a.dir, out_path)), 0.0)
                    if diff:
                        fail("%s %s: %s" % (arc, args_path, diff))
    print("check_save: %d archives, %d cases: %d failed" % (narch, ncases, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
