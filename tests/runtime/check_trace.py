#!/usr/bin/python3
"""PyTorch loads the modules cts traced from C functions (test_trace.c) and
computes what the traced functions compute.

    /usr/bin/python3 check_trace.py DIR      # DIR: where `runtime_test_trace DIR` saved them

foo.pt: 2*x + y; branch.pt: relu (the branch taken while tracing, whatever
the input); flatten.pt: x.view(x.size(0) * x.size(1)) on a shape other than
the traced one; pair.pt: (tanh(x), sigmoid(x)); net.pt: the traced prepack.scripted.pt on
another input size, against the original.  Exact up to 1e-6.
Exit 0 pass, 1 fail, 77 without torch (1 with CTS_REQUIRE_TORCH=1)."""
import os
import sys

try:
    import torch
except ImportError as e:
    print("SKIP: no torch (%s)" % e)
    sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77)


def main(d):
    torch.manual_seed(0)
    x, y = torch.randn(4, 5), torch.randn(4, 5)
    cases = [
        ("foo.pt", (x, y), 2 * x + y),
        ("branch.pt", (-x.abs(),), torch.relu(-x.abs())),
        ("flatten.pt", (x,), x.reshape(20)),
        ("pair.pt", (x,), (torch.tanh(x), torch.sigmoid(x))),
    ]
    # net.pt: prepack.scripted.pt traced by cts_module_trace (other input size)
    here = os.path.dirname(os.path.abspath(__file__))
    orig = torch.jit.load(os.path.join(here, "prepack.scripted.pt"))
    z = torch.randn(1, 3, 24, 24)
    cases.append(("net.pt", (z,), orig(z)))
    failed = 0
    for name, args, want in cases:
        try:
            got = torch.jit.load(os.path.join(d, name))(*args)
        except Exception as e:  # noqa: BLE001 - the failure is the finding
            print("FAIL %s: %s: %s" % (name, type(e).__name__, str(e).strip().splitlines()[-1:]))
            failed += 1
            continue
        gs = got if isinstance(got, tuple) else (got,)
        ws = want if isinstance(want, tuple) else (want,)
        ok = len(gs) == len(ws) and all(g.shape == w.shape and torch.allclose(g, w, atol=1e-6, rtol=0)
                                        for g, w in zip(gs, ws))
        print("%s %s" % ("PASS" if ok else "FAIL", name))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
