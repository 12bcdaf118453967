#!/usr/bin/python3
"""Self-test of bad_input.py's judging, without the cts binary.

    /usr/bin/python3 selftest_bad_input.py DIR     # DIR from bad_input.py --generate

For every case of the table it writes fake cts binaries (/bin/sh scripts)
and judges them with bad_input.run_case: `example` prints the case's example
first line and exits 1 (the case must pass); every other mode must make the
case fail: `exit0` (the error goes unnoticed), `segv` (a crash), `exit134`
(an abort), `asan` (the right message plus a LeakSanitizer report), `silent`
(exit 1, nothing on stderr), `echo_path` (exit 1 and a first line that only
echoes the file paths it was given: the patterns must not be satisfied by
the names of the input files or their directory).
Exit 0 when the judging behaves, 1 otherwise, 77 without inputs and torch.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bad_input  # noqa: E402


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def fake_script(mode, example, d, args):
    paths = " ".join(a.format(dir=d) for a in args if "/" in a)
    body = {
        "example": "printf '%%s\\n' %s '  (more detail)' >&2\nexit 1" % sh_quote(example),
        "exit0": "exit 0",
        "segv": "kill -SEGV $$",
        "exit134": "printf '%%s\\n' %s >&2\nexit 134" % sh_quote(example),
        "asan": "printf '%%s\\n' %s '==77==ERROR: LeakSanitizer: detected memory leaks' >&2\nexit 1" % sh_quote(example),
        "silent": "exit 1",
        "echo_path": "printf '%%s\\n' %s >&2\nexit 1" % sh_quote("cts: error: " + paths),
    }[mode]
    return "#!/bin/sh\n" + body + "\n"


def main(argv):
    if len(argv) != 1:
        print("usage: selftest_bad_input.py DIR", file=sys.stderr)
        return 2
    d = argv[0]
    if not os.path.isfile(os.path.join(d, "mycell.pt")):
        try:
            import torch  # noqa: F401
        except ImportError:
            print("SKIP: no inputs in %s and no torch to make them" % d)
            return 1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else 77
        print("no inputs in %s: run bad_input.py --generate first" % d)
        return 2
    failures = 0
    modes = (("example", True), ("exit0", False), ("segv", False), ("exit134", False), ("asan", False),
             ("silent", False), ("echo_path", False))
    with tempfile.TemporaryDirectory(prefix="fake-cts-") as tmp:
        for mode, want_pass in modes:
            bad = []
            for name, (args, _, _, example) in bad_input.CASES.items():
                cts = os.path.join(tmp, "cts-%s-%s" % (mode, name))
                with open(cts, "w") as f:
                    f.write(fake_script(mode, example, d, args))
                os.chmod(cts, 0o755)
                ok, msg = bad_input.run_case(cts, d, name, 30)
                if ok != want_pass:
                    bad.append(name)
                    print("FAIL mode %s: case %s %s:\n%s" % (mode, name, "failed" if want_pass else "passed", msg))
            failures += len(bad)
            print("%s mode %s: every case %s" % ("FAIL" if bad else "PASS", mode, "passes" if want_pass else "fails"))
    print("selftest_bad_input: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
