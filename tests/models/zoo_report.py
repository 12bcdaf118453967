#!/usr/bin/python3
"""Status of the whole model zoo in one run: which ops cts lacks, which
models pass. For people (the kernel work list, docs/models.md), not ctest.

    /usr/bin/python3 zoo_report.py --cts build/cts --dir build/models [--no-check] [--models a,b]

For every model and kind (scripted, traced) in DIR (written by
gen_models.py):
  1. `cts info ARCHIVE`: the operators marked NOT IMPLEMENTED (or the error
     when cts cannot even inspect the archive);
  2. unless --no-check: check_models.py (cts run vs PyTorch), with its
     PASS/FAIL line and time, and the error that stopped cts;
  3. with --torch-ops: the aten overloads of PyTorch's inlined graph of the
     archive (node.schema(); recorded by gen_models.py in M.json) that
     `cts ops` does not list: complete even where `cts info` stops early or
     crashes.
Then prints the missing operators aggregated over all archives (op, number of
archives, which models), the blocking errors of cts run, and a markdown
table model x kind x status.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def model_names():
    p = subprocess.run([sys.executable, os.path.join(HERE, "gen_models.py"), "--list-models"],
                       stdout=subprocess.PIPE, check=True)
    return p.stdout.decode().strip().split(";")


def info_missing(cts, archive):
    p = subprocess.run([cts, "info", archive], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        first = next((ln for ln in err.splitlines() if ln.strip()), "exit %d" % p.returncode)
        return None, first
    missing = re.findall(r"NOT IMPLEMENTED\s+(\S+)", out)
    return missing, None


def cts_ops(cts):
    p = subprocess.run([cts, "ops"], stdout=subprocess.PIPE, check=True)
    return {ln.split("(")[0].strip() for ln in p.stdout.decode().splitlines() if "(" in ln}


def torch_overloads(archive):
    """aten overload names (aten::add.Tensor) of the archive's inlined
    forward graph, as PyTorch resolves them."""
    import torch
    acc = set()

    def walk(block):
        for node in block.nodes():
            if node.kind().startswith("aten::"):
                try:
                    sch = node.schema()
                except RuntimeError:
                    sch = "(no schema)"
                acc.add(sch.split("(")[0] if sch != "(no schema)" else node.kind())
            for b in node.blocks():
                walk(b)
    walk(torch.jit.load(archive).inlined_graph)
    return acc


def blocking(line):
    """The op or node kind named by cts's error, if any."""
    m = re.search(r"operator not implemented in cts: ([\w:.]+)\(", line) or \
        re.search(r"node kind (\S+) is not supported", line)
    return m.group(1) if m else None


def check(cts, d, model, kind, timeout):
    t0 = time.time()
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_models.py"), "--cts", cts, "--dir", d,
                        "--model", model, "--kind", kind, "--timeout", str(timeout)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    first = out.splitlines()[0] if out.strip() else "exit %d" % p.returncode
    detail = ""
    for ln in out.splitlines()[1:]:
        if ln.strip().startswith("cts: error:"):
            detail = ln.strip()
            break
    return p.returncode == 0, first, detail, time.time() - t0


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cts", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--models")
    ap.add_argument("--no-check", action="store_true")
    ap.add_argument("--timeout", type=float, default=1500)
    ap.add_argument("--torch-ops", action="store_true", help="also diff PyTorch's aten overloads with `cts ops`")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args(argv)
    cts = os.path.abspath(a.cts)
    names = a.models.split(",") if a.models else model_names()
    rows, missing_by_op, info_errors, torch_missing, blockers = [], {}, [], {}, {}
    implemented = cts_ops(cts) if a.torch_ops else set()
    for m in names:
        try:
            with open(os.path.join(a.dir, m + ".json")) as f:
                entry = json.load(f)
        except OSError:
            print("%s: not generated" % m)
            continue
        for kind in ("scripted", "traced"):
            archive = os.path.join(a.dir, entry["kinds"][kind]["archive"])
            missing, ierr = info_missing(cts, archive)
            if ierr:
                info_errors.append((m, kind, ierr))
            for op in missing or []:
                missing_by_op.setdefault(op, []).append("%s/%s" % (m, kind))
            row = {"model": m, "kind": kind, "missing": missing, "info_error": ierr}
            if a.torch_ops:
                ops = entry["kinds"][kind].get("ops")
                if not ops or not any("." in o for o in ops):   # an old corpus: kinds, not overloads
                    ops = torch_overloads(archive)
                tm = sorted(o for o in ops if o not in implemented)
                row["torch_missing"] = tm
                for op in tm:
                    torch_missing.setdefault(op, []).append("%s/%s" % (m, kind))
            if not a.no_check:
                ok, line, detail, secs = check(cts, a.dir, m, kind, a.timeout)
                row.update(ok=ok, line=line, detail=detail, seconds=round(secs, 1))
                b = None if ok else (blocking(line) or line.split(": ", 1)[-1][:160])
                row["blocker"] = b
                if b:
                    blockers.setdefault(b, []).append("%s/%s" % (m, kind))
            rows.append(row)
            print("%-22s %-8s missing=%s%s" % (m, kind, ",".join(missing or []) or "-",
                                              ("  " + row["line"]) if "line" in row else ""), flush=True)
    print("\n## Missing operators (cts info: NOT IMPLEMENTED), over %d archives\n" % len(rows))
    print("| op | archives | models |\n|---|---|---|")
    for op, where in sorted(missing_by_op.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print("| `%s` | %d | %s |" % (op, len(where), ", ".join(where)))
    if torch_missing:
        print("\n## aten overloads in PyTorch's inlined graphs that `cts ops` lacks\n")
        print("| overload | archives | models |\n|---|---|---|")
        for op, where in sorted(torch_missing.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print("| `%s` | %d | %s |" % (op, len(where), ", ".join(where)))
    if blockers:
        print("\n## What stops cts run (first error)\n")
        print("| error | archives | models |\n|---|---|---|")
        for b, where in sorted(blockers.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            print("| `%s` | %d | %s |" % (b, len(where), ", ".join(where)))
    if not a.no_check:
        print("\n## Status\n")
        print("| model | scripted | traced |\n|---|---|---|")
        by = {(r["model"], r["kind"]): r for r in rows}
        for m in names:
            cells = []
            for kind in ("scripted", "traced"):
                r = by.get((m, kind))
                if r is None:
                    cells.append("not generated")
                elif r["ok"]:
                    cells.append("pass (%s s)" % r["seconds"])
                else:
                    cells.append("FAIL: `%s`" % r["blocker"])
            print("| %s | %s | %s |" % (m, cells[0], cells[1]))
    if info_errors:
        print("\n`cts info` failed on:")
        for m, k, e in info_errors:
            print("- %s/%s: %s" % (m, k, e))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "missing_by_op": missing_by_op, "torch_missing": torch_missing,
                       "blockers": blockers}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
