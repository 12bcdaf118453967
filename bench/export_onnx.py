#!/usr/bin/python3
"""ONNX models for the ONNX Runtime side of bench/performance.py.

    /usr/bin/python3 bench/export_onnx.py ZOO_DIR OUT_DIR --models a,b [--archive NAME=PATH:ARGS ...]

For each zoo model M (tests/models/gen_models.py's files in ZOO_DIR),
torch.onnx.export of the loaded traced archive M.traced.pt on M.args.pt
(opset 14), so ONNX Runtime runs the weights cts and libtorch run; the
inputs go next to it as raw files with OUT_DIR/M.inputs.json (the format
bench/ort_bench.js reads).  --archive adds a model from any archive with its
argument file (the bundled MyCell).  A model whose export fails is reported
and skipped.  Prints one line per model."""
import argparse
import json
import os
import sys
import time
import warnings


def export(torch, name, archive, args_path, out):
    args = torch.load(args_path)
    if not isinstance(args, (tuple, list)):
        args = (args,)
    names = ["input%d" % i for i in range(len(args))]
    mod = torch.jit.load(archive)
    torch.onnx.export(mod, tuple(args), os.path.join(out, name + ".onnx"), opset_version=14, input_names=names)
    spec = []
    for n, a in zip(names, args):
        f = "%s.%s.bin" % (name, n)
        a.contiguous().numpy().tofile(os.path.join(out, f))
        spec.append({"name": n, "dtype": str(a.dtype).replace("torch.", ""), "shape": list(a.shape), "file": f})
    with open(os.path.join(out, name + ".inputs.json"), "w") as fh:
        json.dump(spec, fh)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zoo")
    ap.add_argument("out")
    ap.add_argument("--models", default="")
    ap.add_argument("--archive", action="append", default=[], help="NAME=ARCHIVE:ARGS")
    a = ap.parse_args(argv)
    import torch
    warnings.filterwarnings("ignore")
    os.makedirs(a.out, exist_ok=True)
    jobs = [(m, os.path.join(a.zoo, m + ".traced.pt"), os.path.join(a.zoo, m + ".args.pt"))
            for m in a.models.split(",") if m]
    for spec in a.archive:
        name, rest = spec.split("=", 1)
        arc, args = rest.rsplit(":", 1)
        jobs.append((name, arc, args))
    failed = 0
    for name, arc, args in jobs:
        t0 = time.time()
        try:
            export(torch, name, arc, args, a.out)
            print("%s: exported (%.1f s)" % (name, time.time() - t0))
        except Exception as e:  # noqa: BLE001 - reported, the model is skipped
            failed += 1
            print("%s: export failed: %s: %s" % (name, type(e).__name__, str(e).strip().splitlines()[:1]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
