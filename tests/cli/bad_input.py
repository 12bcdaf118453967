#!/usr/bin/python3
"""Bad-input tests for the `cts` command: every case must end in one clear
error, never a crash.

    /usr/bin/python3 bad_input.py --list-cases            # names, ';'-separated (no torch)
    /usr/bin/python3 bad_input.py --generate DIR          # write the inputs (needs torch)
    /usr/bin/python3 bad_input.py --cts build/cts --dir DIR --case NAME
    /usr/bin/python3 bad_input.py --cts build/cts --dir DIR --all

A case passes when cts
  * exits with a status in 1..127 (0 is a failure to notice the problem;
    >= 128 or death by a signal is a crash),
  * finishes within the timeout (60 s; CTS_BAD_INPUT_TIMEOUT overrides),
  * writes something to stderr whose FIRST line matches every regular
    expression of the case in the table below (case-insensitive search),
  * and stderr holds no sanitizer report ("AddressSanitizer",
    "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:"): under
    the -fsanitize=address,undefined build a memory error, a leak or
    undefined behaviour fails the case even when the exit status looks right.

Where PyTorch has a message for the situation (argument checking, kernel
shape errors, TorchScript `raise`/`assert`), the expected text is PyTorch's
own (PyTorch prints it as the last line of its error; cts prints it first).
For archive corruption, PyTorch's messages are miniz's or unhelpful, so any
of a set of words that a clear message would contain is accepted (ZIP_BROKEN).

`--generate DIR` writes the base archives (MyCell and MyModel scripted, two
scripted functions that `assert` and `raise`) with PyTorch, the damaged
copies, and the argument files; it also checks that PyTorch itself rejects
each damaged archive and writes PyTorch's messages to DIR/pytorch_messages.txt
for reference.

Exit status: 0 pass, 1 fail, 2 usage error, 77 no torch for --generate (ctest
SKIP); set CTS_REQUIRE_TORCH=1 to turn that skip into a failure.
"""
import os
import re
import subprocess
import sys

SKIP_RC = 77

# Any of these words in the first line reads as "this archive is broken".
ZIP_BROKEN = (r"zip|central directory|local (file )?header|truncated|corrupt|crc|checksum|"
              r"out of (range|bounds)|past (the )?end|beyond|exceeds|unexpected end|"
              r"too (short|small|large|big)|mismatch")
NO_FILE = r"no such file|cannot open|can't open|could not open|not found|does not exist"

# ---------------------------------------------------------------------------
# THE TABLE. One row per case (one ctest each, cli/<name>):
#   name, cts arguments ({dir} is --dir), the regular expressions the FIRST
#   stderr line must all match (case-insensitive search), what the case
#   covers, and an example of a first line that passes.
# ---------------------------------------------------------------------------
A = "{dir}/mycell.args.pt"     # good arguments for MyCell: (x, h), both (3, 4)
METHOD = r"method|attribute|not (defined|found)|no such|unknown"
UNKNOWN = r"unknown|unrecogni[sz]ed|not recogni[sz]ed|invalid|no such|usage"
TABLE = [
    # -- truncated archives (MyCell scripted, cut at several points) ------------------------
    ("truncated_in_local_header", ["run", "{dir}/cut_30.pt", "--args", A], [ZIP_BROKEN],
     "archive cut 30 bytes in, inside the first local header",
     "cts: cut_30.pt: truncated archive: no end of central directory record"),
    ("truncated_half", ["run", "{dir}/cut_half.pt", "--args", A], [ZIP_BROKEN],
     "archive cut at half its size", "cts: cut_half.pt: truncated archive: no end of central directory record"),
    ("truncated_at_central_dir", ["run", "{dir}/cut_at_cd.pt", "--args", A], [ZIP_BROKEN],
     "archive cut where the central directory starts",
     "cts: cut_at_cd.pt: truncated archive: no end of central directory record"),
    ("truncated_in_eocd", ["run", "{dir}/cut_last_10.pt", "--args", A], [ZIP_BROKEN],
     "archive missing its last 10 bytes (inside the end record)",
     "cts: cut_last_10.pt: truncated archive: no end of central directory record"),
    ("empty_file", ["run", "{dir}/empty.pt", "--args", A], [ZIP_BROKEN],
     "a zero-byte file", "cts: empty.pt: not a zip archive (the file is empty)"),
    ("not_a_zip", ["run", "{dir}/text.pt", "--args", A], [ZIP_BROKEN],
     "a text file", "cts: text.pt: not a zip archive: no end of central directory record"),
    ("truncated_args", ["run", "{dir}/mycell.pt", "--args", "{dir}/args_cut_half.pt"], [ZIP_BROKEN],
     "the --args file (torch.save format) cut at half",
     "cts: args_cut_half.pt: truncated archive: no end of central directory record"),
    # -- a central directory (or end record) that lies ---------------------------------------
    ("zip_cd_size_huge", ["run", "{dir}/cd_size_huge.pt", "--args", A], [ZIP_BROKEN],
     "central directory: data.pkl sizes 0x7ffffff0",
     "cts: cd_size_huge.pt: corrupt zip: record 'data.pkl' extends past the end of the file"),
    ("zip_cd_size_small", ["run", "{dir}/cd_size_10.pt", "--args", A], [ZIP_BROKEN + r"|pickle"],
     "central directory: data.pkl sizes 10 (the CRC no longer matches)",
     "cts: cd_size_10.pt: corrupt zip: CRC mismatch in record 'data.pkl'"),
    ("zip_cd_offset_past_end", ["run", "{dir}/cd_offset_far.pt", "--args", A], [ZIP_BROKEN],
     "central directory: data.pkl local header offset 0x7ffffff0",
     "cts: cd_offset_far.pt: corrupt zip: local header of 'data.pkl' is past the end of the file"),
    ("zip_cd_offset_misaligned", ["run", "{dir}/cd_offset_plus_1.pt", "--args", A], [ZIP_BROKEN + r"|signature"],
     "central directory: data.pkl local header offset + 1 (no signature there)",
     "cts: cd_offset_plus_1.pt: corrupt zip: bad local header signature for 'data.pkl'"),
    ("zip_cd_name_length_huge", ["run", "{dir}/cd_name_length_ffff.pt", "--args", A], [ZIP_BROKEN],
     "central directory: the last entry's file name length 0xffff",
     "cts: cd_name_length_ffff.pt: corrupt zip: central directory entry 9 runs past the end of the directory"),
    ("zip_eocd_cd_offset_past_end", ["run", "{dir}/eocd_offset_far.pt", "--args", A], [ZIP_BROKEN],
     "end record and zip64 end record: central directory offset past the end of the file",
     "cts: eocd_offset_far.pt: corrupt zip: central directory offset is past the end of the file"),
    ("zip_eocd_entry_count_lies", ["run", "{dir}/eocd_count_200.pt", "--args", A], [ZIP_BROKEN + r"|signature"],
     "end record and zip64 end record: 200 entries where there are 9",
     "cts: eocd_count_200.pt: corrupt zip: central directory entry 10 has a bad signature"),
    ("zip_without_torchscript", ["run", "{dir}/readme_only.pt", "--args", A], [r"data\.pkl|torchscript|record"],
     "a valid zip holding only readme.txt",
     "cts: readme_only.pt: not a TorchScript archive: no data.pkl record"),
    # -- pickle and storage records ------------------------------------------------------------
    ("unknown_global", ["run", "{dir}/evil_pickle.pt", "--args", A],
     [r"\bos\b.{0,3}\bsystem\b", r"global|not allowed|unknown|unsupported|forbidden|refuse|disallowed"],
     "data.pkl calls GLOBAL 'os system' (in place of 'torch._utils _rebuild_tensor_v2')",
     "cts: evil_pickle.pt: data.pkl: unknown global 'os system' (not in the allow-list)"),
    ("missing_storage", ["run", "{dir}/weight_gone.pt", "--args", A],
     [r"data/0|storage", r"missing|not found|no (such )?record|does not exist|absent|no entry"],
     "data.pkl references storage '0' but the data/0 record is gone",
     "cts: weight_gone.pt: data.pkl: missing record 'data/0' for storage '0'"),
    ("storage_too_short", ["run", "{dir}/weight_cut.pt", "--args", A],
     [r"data/0|storage", r"short|small|too few|bytes|size|truncated|out of (range|bounds)|exceeds|needs"],
     "data/0 holds 8 bytes; the 4x4 float weight needs 64 (PyTorch 1.13 accepts it and reads garbage)",
     "cts: weight_cut.pt: storage 'data/0' has 8 bytes, its tensor needs 64"),
    # -- calling -----------------------------------------------------------------------------------
    ("method_missing_run", ["run", "{dir}/mycell.pt", "--method", "nope", "--args", A], [r"nope", METHOD],
     "cts run --method nope", "cts: mycell.pt: method 'nope' is not defined"),
    ("method_missing_graph", ["graph", "{dir}/mycell.pt", "--method", "nope"], [r"nope", METHOD],
     "cts graph --method nope", "cts: mycell.pt: method 'nope' is not defined"),
    ("too_few_arguments", ["run", "{dir}/mycell.pt", "--args", "{dir}/mycell_one_arg.args.pt"],
     [r"missing value for argument 'h'"], "MyCell.forward given (x,)",
     "cts: forward() is missing value for argument 'h'. Declaration: forward(__torch__.MyCell self, Tensor x, Tensor h) -> ((Tensor, Tensor))"),
    ("too_many_arguments", ["run", "{dir}/mycell.pt", "--args", "{dir}/mycell_three_args.args.pt"],
     [r"expected at most \d+ argument\(s\)", r"received \d+ argument\(s\)"], "MyCell.forward given (x, h, x)",
     "cts: forward() expected at most 3 argument(s) but received 4 argument(s). Declaration: forward(__torch__.MyCell self, Tensor x, Tensor h) -> ((Tensor, Tensor))"),
    ("wrong_argument_type", ["run", "{dir}/mycell.pt", "--args", "{dir}/mycell_five.args.pt"],
     [r"expected (a )?value of type '?Tensor", r"argument 'x'", r"\bint\b"], "MyCell.forward given (5, h)",
     "cts: forward() Expected a value of type 'Tensor' for argument 'x' but instead found type 'int'."),
    # -- kernels -------------------------------------------------------------------------------------
    ("shape_mismatch_view", ["run", "{dir}/mymodel.pt", "--args", "{dir}/mymodel_9x9.args.pt"],
     [r"shape '\[-1, 4096\]' is invalid for input of size 5184"], "MyModel on (1, 3, 9, 9): view fails",
     "cts: RuntimeError: shape '[-1, 4096]' is invalid for input of size 5184"),
    ("shape_mismatch_linear", ["run", "{dir}/mycell.pt", "--args", "{dir}/mycell_3x5.args.pt"],
     [r"mat1 and mat2 shapes cannot be multiplied \(3x5 and 4x4\)"], "MyCell on (3, 5): linear fails",
     "cts: RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x5 and 4x4)"),
    # -- TorchScript raise / assert --------------------------------------------------------------
    ("assert_fails", ["run", "{dir}/assert_positive.pt", "--args", "{dir}/negative.args.pt"],
     [r"AssertionError: need positive"], 'scripted assert x.sum() > 0, "need positive"',
     "cts: AssertionError: need positive"),
    ("raise_fails", ["run", "{dir}/raise_value_error.pt", "--args", "{dir}/negative.args.pt"],
     [r"ValueError: bad value"], 'scripted raise ValueError("bad value")',
     "cts: builtins.ValueError: bad value"),
    # -- the command line -------------------------------------------------------------------------
    ("missing_model_file", ["run", "{dir}/nonexistent.pt", "--args", A], [r"nonexistent\.pt", NO_FILE],
     "the archive does not exist", "cts: cannot open nonexistent.pt: No such file or directory"),
    ("missing_args_file", ["run", "{dir}/mycell.pt", "--args", "{dir}/nonexistent_args.pt"],
     [r"nonexistent_args\.pt", NO_FILE], "the --args file does not exist",
     "cts: cannot open nonexistent_args.pt: No such file or directory"),
    ("unknown_option", ["run", "{dir}/mycell.pt", "--bogus"], [r"--bogus", UNKNOWN],
     "an option cts does not know", "cts: unknown option '--bogus' (try cts --help)"),
    ("unknown_command", ["frobnicate", "{dir}/mycell.pt"], [r"frobnicate", UNKNOWN],
     "a subcommand cts does not know", "cts: unknown command 'frobnicate' (try cts --help)"),
    # -- cts save ---------------------------------------------------------------------------------
    ("save_missing_output", ["save", "{dir}/mycell.pt"], [r"save", r"usage|OUT\.pt"],
     "cts save without the output path", "cts: save: usage: cts save IN.pt OUT.pt"),
    ("save_missing_input", ["save", "{dir}/nonexistent.pt", "{dir}/out.pt"], [r"nonexistent\.pt", NO_FILE],
     "cts save of an archive that does not exist", "cts: error: cannot open nonexistent.pt: No such file"),
    ("save_unwritable_output", ["save", "{dir}/mycell.pt", "{dir}/no_such_dir/out.pt"],
     [r"no_such_dir/out\.pt", NO_FILE + r"|cannot (write|create)"], "cts save into a folder that does not exist",
     "cts: error: saving '.../no_such_dir/out.pt': cannot open ... for writing: No such file or directory"),
    ("trace_missing_args", ["trace", "{dir}/mycell.pt"], [r"trace", r"--args"],
     "cts trace without example inputs", "cts: trace: missing --args ARGS.pt (the example inputs)"),
    ("trace_missing_model", ["trace", "{dir}/nonexistent.pt", "--args", A], [r"nonexistent\.pt", NO_FILE],
     "cts trace of an archive that does not exist", "cts: error: cannot open nonexistent.pt: No such file"),
    ("trace_bad_args", ["trace", "{dir}/mycell.pt", "--args", "{dir}/args_cut_half.pt"], [ZIP_BROKEN],
     "cts trace with a damaged --args file", "cts: error: args_cut_half.pt: not a zip archive (or truncated)"),
    ("save_truncated_input", ["save", "{dir}/cut_30.pt", "{dir}/out.pt"], [ZIP_BROKEN],
     "cts save of a damaged archive", "cts: error: cut_30.pt: zip: truncated local header"),
    # -- cts exec: programs outside the subset, or wrong ------------------------------------------
    ("exec_missing_file", ["exec", "{dir}/nonexistent.py"], [r"nonexistent\.py", NO_FILE],
     "cts exec of a file that does not exist", "cts: error: cannot open nonexistent.py: No such file"),
    ("exec_syntax_error", ["exec", "{dir}/exec_syntax.py"], [r"invalid syntax|expected|unexpected"],
     "a program that does not parse", "cts: error: invalid syntax:"),
    ("exec_undefined_name", ["exec", "{dir}/exec_name.py"], [r"NameError", r"undefined_thing"],
     "a name the program never defines", "cts: error: NameError: name 'undefined_thing' is not defined:"),
    ("exec_unsupported", ["exec", "{dir}/exec_lambda.py"], [r"lambda", r"not supported"],
     "a construct outside the subset", "cts: error: lambda is not supported by cts exec:"),
    ("exec_unknown_module", ["exec", "{dir}/exec_import.py"], [r"No module named 'numpy'"],
     "an import cts does not provide", "cts: error: ModuleNotFoundError: No module named 'numpy' (...):"),
    ("exec_raise", ["exec", "{dir}/exec_raise.py"], [r"ValueError: boom"],
     "a program that raises", "cts: error: ValueError: boom:"),
    ("exec_shape_error", ["exec", "{dir}/exec_shape.py"], [r"mat1 and mat2 shapes cannot be multiplied"],
     "an operator given tensors of the wrong shape", "cts: error: mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)"),
    ("exec_recursion", ["exec", "{dir}/exec_recursion.py"], [r"RecursionError"],
     "unbounded recursion", "cts: error: RecursionError: maximum recursion depth exceeded:"),
    ("exec_int_overflow", ["exec", "{dir}/exec_overflow.py"], [r"OverflowError"],
     "integer arithmetic past 64 bits", "cts: error: OverflowError: integer result does not fit in 64 bits ..."),
    ("exec_self_list", ["exec", "{dir}/exec_self_list.py"], [r"RecursionError"],
     "printing a list that holds itself", "cts: error: RecursionError: maximum recursion depth exceeded ..."),
    ("exec_huge_range", ["exec", "{dir}/exec_big_loop.py"], [r"too large|MemoryError"],
     "a range or repetition too large to build", "cts: error: range too large for cts exec:"),
    ("exec_trace_non_tensor", ["exec", "{dir}/exec_trace_int.py"], [r"trace", r"tensors"],
     "torch.jit.trace with an int example input",
     "cts: error: torch.jit.trace: argument 'x' has type int; traced inputs are tensors and tuples of tensors:"),
]
CASES = {row[0]: row[1:] for row in TABLE}
assert len(CASES) == len(TABLE)

# Inputs PyTorch 1.13 itself accepts (its reader does not check them); cts
# must still reject them.
PYTORCH_ACCEPTS = {"storage_too_short"}   # 1.13 builds the tensor past the 8 bytes

SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                     "ThreadSanitizer", "MemorySanitizer", "runtime error:")

if __name__ == "__main__" and sys.argv[1:] == ["--list-cases"]:
    print(";".join(CASES))
    sys.exit(0)


# ---------------------------------------------------------------------------
# Running a case
# ---------------------------------------------------------------------------

def run_case(cts, d, name, timeout):
    """Return (ok, message)."""
    args, patterns, what, _ = CASES[name]
    argv = [cts] + [a.format(dir=d) for a in args]
    cmd = " ".join(argv)
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "%s: timed out after %g s (%s)\n    command: %s" % (name, timeout, what, cmd)
    except OSError as e:
        return False, "%s: cannot execute %s: %s" % (name, cts, e)
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    first = lines[0] if lines else ""
    # The input files have neutral names; the directory is scrubbed too, so a
    # pattern cannot be satisfied by a path that cts echoes.
    scrubbed = first
    for dd in sorted({d, os.path.abspath(d), os.path.realpath(d)}, key=len, reverse=True):
        scrubbed = scrubbed.replace(dd, "<dir>")
    problems = []
    if p.returncode == 0:
        problems.append("exit status 0 (the error went unnoticed)")
    elif p.returncode < 0:
        problems.append("killed by signal %d (a crash)" % -p.returncode)
    elif p.returncode >= 128:
        problems.append("exit status %d (>= 128: a crash or abort)" % p.returncode)
    for m in SANITIZER_MARKERS:
        if m in err:
            problems.append("sanitizer report on stderr (%s)" % m)
            break
    if not err.strip():
        problems.append("stderr is empty")
    elif not first.strip():
        problems.append("the first stderr line is empty")
    else:
        for pat in patterns:
            if not re.search(pat, scrubbed, re.IGNORECASE):
                problems.append("the first stderr line does not match /%s/" % pat)
    if problems:
        tail = err.strip()
        if len(tail) > 3000:
            tail = tail[:3000] + "\n..."
        return False, "%s: %s (%s)\n    command: %s\n    exit status: %s\n    stderr:\n%s" % (
            name, "; ".join(problems), what, cmd, p.returncode,
            "\n".join("      " + x for x in (tail or "(empty)").splitlines()))
    return True, "%s (%s): exit %d: %s" % (name, what, p.returncode, first.strip())


# ---------------------------------------------------------------------------
# Generating the inputs (needs torch)
# ---------------------------------------------------------------------------

def _u16(b, o):
    return int.from_bytes(b[o:o + 2], "little")


def _u32(b, o):
    return int.from_bytes(b[o:o + 4], "little")


def _put(b, o, n, v):
    b[o:o + n] = v.to_bytes(n, "little")


def zip_layout(data):
    """Offsets in a zip file: the end record, the zip64 end record (or None)
    and every central directory entry {name: offset}."""
    eocd = data.rfind(b"PK\x05\x06")
    if eocd < 0:
        raise ValueError("no end of central directory record")
    cd_off, count = _u32(data, eocd + 16), _u16(data, eocd + 10)
    z64 = None
    loc = data.rfind(b"PK\x06\x07", 0, eocd)
    if loc >= 0:
        z64 = int.from_bytes(data[loc + 8:loc + 16], "little")
        cd_off = int.from_bytes(data[z64 + 48:z64 + 56], "little")
        count = int.from_bytes(data[z64 + 32:z64 + 40], "little")
    entries, o = {}, cd_off
    for _ in range(count):
        assert data[o:o + 4] == b"PK\x01\x02"
        nlen, elen, clen = _u16(data, o + 28), _u16(data, o + 30), _u16(data, o + 32)
        name = bytes(data[o + 46:o + 46 + nlen]).decode()
        entries[name] = o
        o += 46 + nlen + elen + clen
    return eocd, z64, loc, cd_off, entries


def generate(d):
    import torch
    import zipfile
    os.makedirs(d, exist_ok=True)
    torch.manual_seed(7)

    def path(n):
        return os.path.join(d, n)

    class MyCell(torch.nn.Module):
        def __init__(self):
            super(MyCell, self).__init__()
            self.linear = torch.nn.Linear(4, 4)

        def forward(self, x, h):
            new_h = torch.tanh(self.linear(x) + h)
            return new_h, new_h

    class MyModel(torch.nn.Module):
        def __init__(self):
            super(MyModel, self).__init__()
            self.conv = torch.nn.Conv2d(3, 64, kernel_size=3, padding=1)
            self.fc = torch.nn.Linear(64 * 8 * 8, 10)

        def forward(self, x):
            x = torch.nn.functional.relu(self.conv(x))
            x = x.view(-1, 64 * 8 * 8)
            return self.fc(x)

    def assert_positive(x):
        assert x.sum() > 0, "need positive"
        return x

    def raise_value_error(x):
        if x.sum() < 0:
            raise ValueError("bad value")
        return x

    torch.jit.save(torch.jit.script(MyCell()), path("mycell.pt"))
    torch.jit.save(torch.jit.script(MyModel()), path("mymodel.pt"))
    torch.jit.save(torch.jit.script(assert_positive), path("assert_positive.pt"))
    torch.jit.save(torch.jit.script(raise_value_error), path("raise_value_error.pt"))
    x, h = torch.rand(3, 4), torch.rand(3, 4)
    torch.save((x, h), path("mycell.args.pt"))
    torch.save((x,), path("mycell_one_arg.args.pt"))
    torch.save((x, h, x), path("mycell_three_args.args.pt"))
    torch.save((5, h), path("mycell_five.args.pt"))
    torch.save((torch.rand(3, 5), h), path("mycell_3x5.args.pt"))
    torch.save((torch.rand(1, 3, 9, 9),), path("mymodel_9x9.args.pt"))
    torch.save((-torch.ones(3),), path("negative.args.pt"))

    with open(path("mycell.pt"), "rb") as f:
        good = f.read()
    with open(path("mycell.args.pt"), "rb") as f:
        good_args = f.read()

    def write(name, data):
        with open(path(name), "wb") as f:
            f.write(bytes(data))

    # truncations
    eocd, z64, loc, cd_off, entries = zip_layout(good)
    write("cut_30.pt", good[:30])
    write("cut_half.pt", good[:len(good) // 2])
    write("cut_at_cd.pt", good[:cd_off])
    write("cut_last_10.pt", good[:-10])
    write("empty.pt", b"")
    write("text.pt", b"this is not a TorchScript archive, just text\n" * 4)
    write("args_cut_half.pt", good_args[:len(good_args) // 2])
    # programs for cts exec
    write("exec_syntax.py", b"import torch\ndef f(:\n    return 1\n")
    write("exec_name.py", b"import torch\nprint(undefined_thing)\n")
    write("exec_lambda.py", b"f = lambda x: x + 1\nprint(f(1))\n")
    write("exec_import.py", b"import numpy\n")
    write("exec_raise.py", b"def f(x):\n    raise ValueError('boom')\nf(1)\n")
    write("exec_shape.py", b"import torch\nprint(torch.mm(torch.rand(3, 4), torch.rand(5, 6)))\n")
    write("exec_recursion.py", b"def f(n):\n    return f(n + 1)\nf(0)\n")
    write("exec_trace_int.py", b"import torch\ndef f(x):\n    return x\ntorch.jit.trace(f, (1,))\n")
    write("exec_overflow.py", b"x = (-9223372036854775807 - 1) // -1\nprint(x)\n")
    write("exec_self_list.py", b"a = [1]\na.append(a)\nprint(a == a, a in [a])\nprint(a)\n")
    write("exec_big_loop.py", b"for i in range(-2 ** 62, 2 ** 62, 3):\n    pass\n")

    # central directory lies (offsets within a central directory entry:
    # +20 compressed size, +24 uncompressed size, +28 name length, +42 local
    # header offset; the end record: +8/+10 entry counts, +16 directory offset;
    # the zip64 end record: +24/+32 counts, +48 directory offset)
    pkl = next(n for n in entries if n.endswith("/data.pkl"))
    last = list(entries)[-1]

    def patched(edits):
        b = bytearray(good)
        for o, n, v in edits:
            _put(b, o, n, v)
        return b
    e = entries[pkl]
    write("cd_size_huge.pt", patched([(e + 20, 4, 0x7FFFFFF0), (e + 24, 4, 0x7FFFFFF0)]))
    write("cd_size_10.pt", patched([(e + 20, 4, 10), (e + 24, 4, 10)]))
    write("cd_offset_far.pt", patched([(e + 42, 4, 0x7FFFFFF0)]))
    write("cd_offset_plus_1.pt", patched([(e + 42, 4, _u32(good, e + 42) + 1)]))
    write("cd_name_length_ffff.pt", patched([(entries[last] + 28, 2, 0xFFFF)]))
    far = len(good) + 4096
    edits = [(eocd + 16, 4, far)]
    if z64 is not None:
        edits.append((z64 + 48, 8, far))
    write("eocd_offset_far.pt", patched(edits))
    edits = [(eocd + 8, 2, 200), (eocd + 10, 2, 200)]
    if z64 is not None:
        edits += [(z64 + 24, 8, 200), (z64 + 32, 8, 200)]
    write("eocd_count_200.pt", patched(edits))
    with zipfile.ZipFile(path("readme_only.pt"), "w") as z:
        z.writestr("archive/readme.txt", "a zip, but no TorchScript records\n")

    # records rewritten with PyTorch's own writer (the same layout as
    # torch.jit.save; code records are stored rather than deflated)
    reader = torch._C.PyTorchFileReader(path("mycell.pt"))
    records = {n: reader.get_record(n) for n in reader.get_all_records()}

    def rewrite(name, changes):
        w = torch._C.PyTorchFileWriter(path(name))
        for n, data in records.items():
            if n in changes:
                data = changes[n]
                if data is None:
                    continue
            w.write_record(n, data, len(data))
        w.write_end_of_file()
        del w
    rebuild = "data.pkl"
    pickle_bytes = records[rebuild]
    glob = b"ctorch._utils\n_rebuild_tensor_v2\n"
    assert glob in pickle_bytes, "data.pkl does not call _rebuild_tensor_v2"
    rewrite("evil_pickle.pt", {"data.pkl": pickle_bytes.replace(glob, b"cos\nsystem\n", 1)})
    rewrite("weight_gone.pt", {"data/0": None})
    rewrite("weight_cut.pt", {"data/0": records["data/0"][:8]})
    rewrite("rewritten_intact.pt", {})   # control: the rewrite alone must load

    # PyTorch must reject the damaged inputs too (else the damage is not
    # real), and accept the control; record its messages for the C engineers.
    notes, accepted = [], []
    intact = torch.jit.load(path("rewritten_intact.pt"))
    intact(x, h)
    for name, (args, _, what, _) in CASES.items():
        argv = [a.format(dir=d) for a in args]
        model = argv[1]
        cargs = argv[argv.index("--args") + 1] if "--args" in argv else None
        method = argv[argv.index("--method") + 1] if "--method" in argv else "forward"
        if argv[0] not in ("run", "graph") or "--bogus" in argv:
            continue
        try:
            m = torch.jit.load(model)
            fn = getattr(m, method)
            if argv[0] == "run":
                fn(*torch.load(cargs))
            msg = None
        except Exception as ex:  # noqa: BLE001
            lines = [l for l in str(ex).strip().splitlines() if l.strip()]
            msg = "%s: %s" % (type(ex).__name__, lines[-1] if lines else "")
        if msg is None:
            msg = "(PyTorch accepts this input)"
            if name not in PYTORCH_ACCEPTS:
                accepted.append(name)
        notes.append("%-28s %s" % (name, msg))
    with open(path("pytorch_messages.txt"), "w") as f:
        f.write("# What PyTorch %s says for each bad input (last line of its error)\n" % torch.__version__)
        f.write("\n".join(notes) + "\n")
    if accepted:
        raise RuntimeError("PyTorch accepts the inputs of %s: the damage is not real" % ", ".join(accepted))
    print("bad_input.py: wrote the inputs of %d cases into %s" % (len(CASES), d))


# ---------------------------------------------------------------------------

def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="bad-input tests for the cts command")
    ap.add_argument("--generate", metavar="DIR")
    ap.add_argument("--cts")
    ap.add_argument("--dir")
    ap.add_argument("--case", action="append", default=[])
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("CTS_BAD_INPUT_TIMEOUT", "60")))
    a = ap.parse_args(argv)
    if a.generate:
        try:
            import torch  # noqa: F401
        except ImportError as e:
            print("bad_input.py: SKIP: %s cannot import torch (%s)" % (sys.executable, e))
            return 1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC
        generate(a.generate)
        return 0
    if not a.cts or not a.dir or not (a.case or a.all):
        ap.print_usage(sys.stderr)
        return 2
    names = list(CASES) if a.all else a.case
    unknown = [n for n in names if n not in CASES]
    if unknown:
        print("bad_input.py: unknown case(s): %s" % ", ".join(unknown), file=sys.stderr)
        return 2
    if not os.path.isfile(os.path.join(a.dir, "mycell.pt")):
        print("bad_input.py: %s has no inputs (run --generate first)" % a.dir)
        try:
            import torch  # noqa: F401
        except ImportError:
            return 1 if os.environ.get("CTS_REQUIRE_TORCH") == "1" else SKIP_RC
        return 2
    failed = 0
    for n in names:
        ok, msg = run_case(os.path.abspath(a.cts), a.dir, n, a.timeout)
        print(("PASS " if ok else "FAIL ") + msg)
        failed += not ok
    if len(names) > 1:
        print("bad_input.py: %d of %d cases passed" % (len(names) - failed, len(names)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
