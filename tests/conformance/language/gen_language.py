#!/usr/bin/python3
"""Generate the TorchScript language corpus: PyTorch's verdict on every
program of tests/conformance/language/.

    /usr/bin/python3 gen_language.py OUTDIR           # writes OUTDIR/manifest.json and the files below
    /usr/bin/python3 gen_language.py --list-programs  # program names, ';'-separated (no torch needed)
    /usr/bin/python3 gen_language.py --list-rejects   # reject names, ';'-separated (no torch needed)
    /usr/bin/python3 gen_language.py OUTDIR --only NAME [NAME...]   # a few programs (for writing new ones)

A program is `<feature>_<NN>.py` in this directory (README.md has the table).
It imports torch, decorates functions and classes with @torch.jit.script and
ends with

    CASES = [
        ("fn", (arg0, arg1)),            # call fn(arg0, arg1); must return
        ("fn", (bad,), "raises"),        # call fn(bad); must raise
    ]

and optionally, for nn.Module programs (checked through archives only):

    MODULE_CASES = [
        (module_instance, "method", (arg0,)),
    ]

The generator imports every program under its own name (so PyTorch's
qualified names are `__torch__.<program>.<name>`), which compiles it, and for
every program writes into OUTDIR:

    <prog>.<fn>.graph.txt      str(fn.graph) of every module-level function
                               decorated in the file (before any call)
    <prog>.<fn>.code.txt       fn.code
    <prog>.<fn>.pt             torch.jit.save(fn): the archive that `cts run`
                               must run too (absent where PyTorch cannot save
                               the function, e.g. it calls @torch.jit.ignore)
    <prog>.case<K>.args.pt     torch.save(args) (a tuple), written before the call
    <prog>.case<K>.out.pt      torch.save(result)            (returning cases)
    <prog>.case<K>.stdout.txt  what the call printed, captured at the file
                               descriptor (TorchScript print is C++ output)
    <prog>.mod<K>.pt           torch.jit.save(torch.jit.script(module))  (MODULE_CASES)

and for every reject program (reject/<name>.py, which PyTorch refuses to
compile) `reject.<name>.error.txt` (PyTorch's full message) and, in the
manifest, its first line and the line number it names: the first
`File "<the program>", line N` of the message.

Each case's result is also computed by the *loaded* archive; the corpus is
refused (exit 1) when the two disagree, when a case that should return raises
or the other way round, when a result holds a value that torch.save cannot
write plainly (a NamedTuple, a class object), when a reject is accepted or
names no line of its own file. So a corpus that is written is consistent.

Exit status: 0 written, 77 when /usr/bin/python3 has no torch (ctest SKIP;
with CTS_REQUIRE_TORCH=1 in the environment that is a failure, 1), 1 on any
other failure, 2 usage.
"""
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP_RC = 77
FLOAT_ABS_TOL = 1e-5
PROGRAM_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*_\d\d$")


def program_names():
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*.py")))
    return [n for n in names if PROGRAM_RE.match(n)]


def reject_names():
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "reject", "*.py")))
    return [n for n in names if PROGRAM_RE.match(n)]


if __name__ == "__main__" and sys.argv[1:] == ["--list-programs"]:
    print(";".join(program_names()))
    sys.exit(0)
if __name__ == "__main__" and sys.argv[1:] == ["--list-rejects"]:
    print(";".join(reject_names()))
    sys.exit(0)

import copy  # noqa: E402
import ctypes  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402

try:
    import torch
except ImportError as e:  # pragma: no cover - depends on the machine
    if __name__ == "__main__":
        print("gen_language.py: SKIP: %s cannot import torch (%s)" % (sys.executable, e), file=sys.stderr)
        sys.exit(1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC)
    raise


class CorpusError(Exception):
    pass


NOTES = []   # facts worth a line in the generator's output


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

_libc = ctypes.CDLL(None)


class CaptureFd1:
    """Capture everything written to file descriptor 1 (Python's sys.stdout
    and C/C++ stdio alike) while the block runs."""

    def __enter__(self):
        sys.stdout.flush()
        _libc.fflush(None)
        self.tmp = tempfile.TemporaryFile()
        self.saved = os.dup(1)
        os.dup2(self.tmp.fileno(), 1)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        _libc.fflush(None)
        os.dup2(self.saved, 1)
        os.close(self.saved)
        self.tmp.seek(0)
        self.data = self.tmp.read()
        self.tmp.close()
        return False


def expected_error_text(message):
    """What cts's first stderr line must contain for an error PyTorch raised
    at run time: PyTorch's last message line, without a leading `builtins.`
    and without a leading `RuntimeError: ` (PyTorch's wrapper class for errors
    of its interpreter): `ValueError: neg -1`, `AssertionError: three`,
    `list index out of range`; empty for `raise NotImplementedError` (PyTorch
    prints `RuntimeError: ` there: class and message are lost)."""
    lines = [l for l in message.strip().splitlines() if l.strip()]
    last = lines[-1].strip() if lines else ""
    if last.startswith("builtins."):
        last = last[len("builtins."):]
    return re.sub(r"^RuntimeError:\s*", "", last)


def check_plain(v, where):
    """Results must be values torch.save writes without user classes."""
    if isinstance(v, torch.Tensor) or v is None or type(v) in (bool, int, float, str, complex, torch.device, torch.dtype):
        return
    if type(v) in (list, tuple):
        for i, e in enumerate(v):
            check_plain(e, "%s[%d]" % (where, i))
        return
    if type(v) is dict:
        for k, e in v.items():
            check_plain(k, "%s key" % where)
            check_plain(e, "%s[%r]" % (where, k))
        return
    raise CorpusError("%s: a %s cannot be a case result (return plain values)" % (where, type(v).__name__))


def same(a, b):
    """Exact structural equality (the corpus' own consistency check)."""
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and a.shape == b.shape and \
            bool(torch.equal(a, b) or torch.allclose(a.double(), b.double(), rtol=0, atol=1e-9, equal_nan=True))
    if type(a) is not type(b):
        return False
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def describe(v):
    if isinstance(v, torch.Tensor):
        return "Tensor(%s, %s)" % (list(v.shape), str(v.dtype).replace("torch.", ""))
    if isinstance(v, tuple):
        return "(" + ", ".join(describe(e) for e in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(describe(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (describe(k), describe(e)) for k, e in v.items()) + "}"
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def detach(v):
    """Drop autograd history (a module's parameters make results require grad)."""
    if isinstance(v, torch.Tensor):
        return v.detach()
    if type(v) is tuple:
        return tuple(detach(e) for e in v)
    if type(v) is list:
        return [detach(e) for e in v]
    if type(v) is dict:
        return {k: detach(e) for k, e in v.items()}
    return v


def call_captured(fn, args):
    """(result, None, stdout bytes) or (None, error message, stdout bytes)."""
    with CaptureFd1() as cap:
        try:
            result = detach(fn(*copy.deepcopy(args)))
            err = None
        except Exception as e:  # noqa: BLE001 - the error is the finding
            result, err = None, str(e)
    return result, err, cap.data


def load_program(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        del sys.modules[name]
        raise
    return mod


def script_functions(mod, name):
    """Module-level ScriptFunctions decorated in this file, in source order."""
    out = []
    for attr, v in vars(mod).items():
        if isinstance(v, torch.jit.ScriptFunction) and v.qualified_name == "__torch__.%s.%s" % (name, attr):
            out.append(v)
    return out


# --------------------------------------------------------------------------
# Programs
# --------------------------------------------------------------------------

def generate_program(name, outdir):
    src = os.path.join(HERE, name + ".py")
    try:
        mod = load_program(src, name)
    except Exception as e:  # noqa: BLE001
        msg = str(e).strip()
        if len(msg) > 1500:
            msg = msg[:300] + "\n[...]\n" + msg[-1200:]
        raise CorpusError("%s: PyTorch does not compile it: %s: %s" % (name, type(e).__name__, msg))

    def write_text(fname, text):
        with open(os.path.join(outdir, fname), "w", encoding="utf-8") as f:
            f.write(text)
        return fname

    functions = {}
    for fn in script_functions(mod, name):
        functions[fn.name] = {"name": fn.name,
                              "graph": write_text("%s.%s.graph.txt" % (name, fn.name), str(fn.graph)),
                              "code": write_text("%s.%s.code.txt" % (name, fn.name), fn.code),
                              "archive": None}
    cases_src = getattr(mod, "CASES", [])
    module_cases_src = getattr(mod, "MODULE_CASES", [])
    if not cases_src and not module_cases_src:
        raise CorpusError("%s: no CASES" % name)
    if cases_src and not functions:
        raise CorpusError("%s: CASES but no function decorated with @torch.jit.script" % name)

    # Archives of the functions the cases call.
    loaded = {}
    for entry in cases_src:
        fname = entry[0]
        if fname not in functions:
            raise CorpusError("%s: CASES names %r, not a decorated function of the file (%s)" % (name, fname, ", ".join(functions)))
        if fname in loaded:
            continue
        apath = "%s.%s.pt" % (name, fname)
        try:
            torch.jit.save(getattr(mod, fname), os.path.join(outdir, apath))
            loaded[fname] = torch.jit.load(os.path.join(outdir, apath))
            functions[fname]["archive"] = apath
        except Exception as e:  # noqa: BLE001 - PyTorch cannot save some functions
            loaded[fname] = None
            functions[fname]["archive_skipped"] = str(e).strip().splitlines()[0][:300]
            try:
                os.remove(os.path.join(outdir, apath))
            except OSError:
                pass

    cases = []
    for k, entry in enumerate(cases_src):
        if not (isinstance(entry, tuple) and len(entry) in (2, 3) and isinstance(entry[1], tuple)
                and (len(entry) == 2 or entry[2] == "raises")):
            raise CorpusError("%s: CASES[%d] is not (\"fn\", (args,)) or (\"fn\", (args,), \"raises\")" % (name, k))
        fname, args = entry[0], entry[1]
        raises = len(entry) == 3
        fn = getattr(mod, fname)
        a = "%s.case%d.args.pt" % (name, k)
        torch.save(args, os.path.join(outdir, a))
        result, err, printed = call_captured(fn, args)
        case = {"function": fname, "args": a, "args_desc": describe(args),
                "stdout": "%s.case%d.stdout.txt" % (name, k), "output": None, "error": None}
        with open(os.path.join(outdir, case["stdout"]), "wb") as f:
            f.write(printed)
        if err is not None:
            if not raises:
                raise CorpusError("%s: CASES[%d] %s%s raised: %s" % (name, k, fname, describe(args), err.strip()[-800:]))
            case["error"] = {"expect": expected_error_text(err),
                             "message": write_text("%s.case%d.error.txt" % (name, k), err)}
        else:
            if raises:
                raise CorpusError("%s: CASES[%d] %s%s returned %s but is marked \"raises\"" % (name, k, fname, describe(args), describe(result)))
            check_plain(result, "%s: CASES[%d] result" % (name, k))
            case["output"] = "%s.case%d.out.pt" % (name, k)
            case["output_desc"] = describe(result)
            torch.save(result, os.path.join(outdir, case["output"]))
        # What the archive PyTorch saved gives (`cts run` must give the same).
        # Usually that is the scripted function's behaviour; where PyTorch's
        # own save/load round trip changes it (its code printer writes 1e15
        # as the int 1000000000000000), the loaded archive is the reference.
        case["archive"] = None
        if loaded.get(fname) is not None:
            lres, lerr, lprinted = call_captured(loaded[fname], args)
            arch = {"path": functions[fname]["archive"], "stdout": case["stdout"],
                    "output": case["output"], "error": case["error"], "differs": False}
            if (lerr is None) != (err is None) or lprinted != printed or \
               (err is None and not same(lres, result)) or \
               (err is not None and expected_error_text(lerr) != case["error"]["expect"]):
                arch["differs"] = True
                arch["stdout"] = "%s.case%d.archive.stdout.txt" % (name, k)
                with open(os.path.join(outdir, arch["stdout"]), "wb") as f:
                    f.write(lprinted)
                if lerr is None:
                    check_plain(lres, "%s: CASES[%d] archive result" % (name, k))
                    arch["output"], arch["error"] = "%s.case%d.archive.out.pt" % (name, k), None
                    torch.save(lres, os.path.join(outdir, arch["output"]))
                else:
                    arch["output"] = None
                    arch["error"] = {"expect": expected_error_text(lerr),
                                     "message": write_text("%s.case%d.archive.error.txt" % (name, k), lerr)}
                NOTES.append("%s: CASES[%d]: PyTorch's saved and loaded %s differs from the scripted one "
                             "(the archive check expects the loaded archive's behaviour)" % (name, k, fname))
            case["archive"] = arch
        cases.append(case)

    module_cases = []
    for k, entry in enumerate(module_cases_src):
        if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], torch.nn.Module)
                and isinstance(entry[1], str) and isinstance(entry[2], tuple)):
            raise CorpusError("%s: MODULE_CASES[%d] is not (module, \"method\", (args,))" % (name, k))
        module, method, args = entry
        try:
            scripted = torch.jit.script(module)
        except Exception as e:  # noqa: BLE001
            raise CorpusError("%s: MODULE_CASES[%d]: PyTorch does not script the module: %s" % (name, k, str(e).strip()[-1200:]))
        apath = "%s.mod%d.pt" % (name, k)
        torch.jit.save(scripted, os.path.join(outdir, apath))
        lm = torch.jit.load(os.path.join(outdir, apath))
        a = "%s.mod%d.args.pt" % (name, k)
        torch.save(args, os.path.join(outdir, a))
        result, err, printed = call_captured(getattr(scripted, method), args)
        if err is not None:
            raise CorpusError("%s: MODULE_CASES[%d] raised: %s" % (name, k, err.strip()[-800:]))
        check_plain(result, "%s: MODULE_CASES[%d] result" % (name, k))
        lres, lerr, lprinted = call_captured(getattr(lm, method), args)
        if lerr is not None or lprinted != printed or not same(lres, result):
            raise CorpusError("%s: MODULE_CASES[%d]: the loaded module disagrees" % (name, k))
        o = "%s.mod%d.out.pt" % (name, k)
        torch.save(result, os.path.join(outdir, o))
        s = "%s.mod%d.stdout.txt" % (name, k)
        with open(os.path.join(outdir, s), "wb") as f:
            f.write(printed)
        module_cases.append({"archive": apath, "method": method, "args": a, "args_desc": describe(args),
                             "output": o, "output_desc": describe(result), "stdout": s})

    return {"name": name, "source": name + ".py",
            "functions": list(functions.values()), "cases": cases, "module_cases": module_cases}


# --------------------------------------------------------------------------
# Rejects
# --------------------------------------------------------------------------

def generate_reject(name, outdir):
    src = os.path.join(HERE, "reject", name + ".py")
    try:
        load_program(src, name)
    except Exception as e:  # noqa: BLE001 - the rejection is what we record
        msg = str(e)
        kind = "%s.%s" % (type(e).__module__, type(e).__name__)
    else:
        raise CorpusError("reject/%s: PyTorch accepts it" % name)
    m = re.search(r'File "%s", line (\d+)' % re.escape(src), msg)
    if not m:
        raise CorpusError("reject/%s: PyTorch's message names no line of the file (%s: %s)" % (name, kind, msg.strip()[:500]))
    first = next((l.strip() for l in msg.splitlines() if l.strip()), "")
    fname = "reject.%s.error.txt" % name
    with open(os.path.join(outdir, fname), "w", encoding="utf-8") as f:
        f.write(msg)
    with open(src, encoding="utf-8") as f:
        src_lines = f.read().splitlines()
    line = int(m.group(1))
    return {"name": name, "source": "reject/%s.py" % name, "line": line,
            "source_line": src_lines[line - 1] if 0 < line <= len(src_lines) else "",
            "exception": kind, "message": first, "error": fname}


TOLERANCE_RULE = (
    "Structures match exactly: tuple vs list vs dict, lengths, dict keys in order, "
    "Python types of scalars (bool, int, float, str, None). Tensors: same dtype, same shape; "
    "integer and bool tensors, ints, bools and strings exactly equal; floating tensors and "
    "floats: NaN where expected, the same infinities, otherwise |actual - expected| <= float_abs."
)


def main(argv):
    only = None
    if "--only" in argv:
        i = argv.index("--only")
        only, argv = argv[i + 1:], argv[:i]
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: gen_language.py OUTDIR [--only NAME...] | --list-programs | --list-rejects", file=sys.stderr)
        return 2
    outdir = argv[0]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)
    progs, rejects = program_names(), reject_names()
    if only is not None:
        progs = [p for p in progs if p in only]
        rejects = [r for r in rejects if r in only]
    errors, programs, rejected = [], [], []
    for name in sorted(set(progs) & set(rejects)):
        errors.append("%s: a program and a reject share the name (each is compiled as module %s)" % (name, name))
    for name in progs:
        try:
            programs.append(generate_program(name, outdir))
        except CorpusError as e:
            errors.append(str(e))
    for name in rejects:
        try:
            rejected.append(generate_reject(name, outdir))
        except CorpusError as e:
            errors.append(str(e))
    for n in NOTES:
        print("gen_language.py: note: %s" % n)
    for e in errors:
        print("gen_language.py: ERROR: %s" % e, file=sys.stderr)
    if errors:
        print("gen_language.py: FAILED: %d problem(s) in the corpus" % len(errors), file=sys.stderr)
        return 1
    manifest = {
        "generator": "tests/conformance/language/gen_language.py",
        "torch_version": torch.__version__,
        "tolerance": {"float_abs": FLOAT_ABS_TOL, "rule": TOLERANCE_RULE},
        "programs": programs,
        "rejects": rejected,
    }
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    ncases = sum(len(p["cases"]) + len(p["module_cases"]) for p in programs)
    print("gen_language.py: wrote %d programs (%d cases), %d rejects into %s (torch %s)" %
          (len(programs), ncases, len(rejected), outdir, torch.__version__))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException as e:
        import traceback
        traceback.print_exc()
        print("gen_language.py: FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
