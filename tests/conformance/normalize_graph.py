#!/usr/bin/python3
"""Normalize PyTorch's textual IR (`print(graph)`) so that two printings of the
same graph compare equal when they differ only in what is not semantics.

    normalize(text, keep_scopes=False) -> str

The rules, applied line by line (standard library only):

1. Source comments go: the first ` # ` outside a string literal and
   everything after it (PyTorch prints `... # file.py:12:4`, or `# :0:0` for
   nodes with an empty file name; they come from the archive's debug records).
2. Scope annotations go (unless keep_scopes): a trailing `, scope: NAME`
   after the node (PyTorch prints them for nodes recorded by the tracer under
   a submodule, visible once a traced graph is inlined). They are debug data
   like rule 1; `print(torch.jit.load(M).graph)` of the tutorial's archives
   has none, because a loaded graph calls submodules through
   `prim::CallMethod` and is not inlined.
3. Values whose name is only digits (`%12`, the ones PyTorch names by its
   internal unique id) are renumbered `%0`, `%1`, ... in order of first
   appearance in the text. Named values (`%x.1`, `%self`, `%rv0.9`) are kept:
   their names are part of the format.
4. Trailing whitespace is dropped from each line, trailing empty lines are
   dropped, and the text ends with exactly one newline.

String literals (`"..."` with backslash escapes, as PyTorch prints string
constants) are copied verbatim: a ` # ` or a `%12` inside one is data.

CLI:
    normalize_graph.py [--keep-scopes] [FILE|-]        print the normalized text
    normalize_graph.py [--keep-scopes] --diff A B      exit 0 when equal, else 1
                                                       and a unified diff
"""
import difflib
import re
import sys

_NAME = re.compile(r"%([A-Za-z0-9_.]+)")
_SCOPE = re.compile(r", scope: \S+$")


def _split_strings(line):
    """Split a line into (is_string, text) pieces; '"' starts a string literal,
    a backslash escapes the next character inside it. An unterminated string
    runs to the end of the line."""
    pieces, i, start, n = [], 0, 0, len(line)
    while i < n:
        if line[i] == '"':
            if i > start:
                pieces.append((False, line[start:i]))
            j = i + 1
            while j < n and line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            j = min(j + 1, n)
            pieces.append((True, line[i:j]))
            i = start = j
        else:
            i += 1
    if start < n:
        pieces.append((False, line[start:]))
    return pieces


def _strip_comment(pieces):
    """Drop the first ' # ' outside strings and all that follows."""
    out = []
    for is_str, text in pieces:
        if not is_str:
            k = text.find(" #")
            # ' #' at the end of a piece followed by a string would be odd; only
            # ' # ' and a trailing ' #' count as a comment start.
            while k >= 0 and not (text[k + 2:k + 3] in (" ", "")):
                k = text.find(" #", k + 1)
            if k >= 0:
                out.append((False, text[:k]))
                return out
        out.append((is_str, text))
    return out


def normalize(text, keep_scopes=False):
    """Return the normalized form of a printed graph (see the module doc)."""
    numbers = {}

    def renumber(m):
        name = m.group(1)
        if not name.isdigit():
            return m.group(0)
        if name not in numbers:
            numbers[name] = str(len(numbers))
        return "%" + numbers[name]

    lines = []
    for line in text.splitlines():
        pieces = _strip_comment(_split_strings(line))
        if not keep_scopes and pieces and not pieces[-1][0]:
            pieces[-1] = (False, _SCOPE.sub("", pieces[-1][1].rstrip()))
        line = "".join(t if is_str else _NAME.sub(renumber, t) for is_str, t in pieces)
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def diff(expected, actual, expected_name="expected", actual_name="actual", keep_scopes=False):
    """Unified diff of the normalized texts ('' when they are equal)."""
    a = normalize(expected, keep_scopes).splitlines(True)
    b = normalize(actual, keep_scopes).splitlines(True)
    return "".join(difflib.unified_diff(a, b, expected_name, actual_name))


def _read(path):
    if path == "-":
        return sys.stdin.read()
    with open(path) as f:
        return f.read()


def main(argv):
    keep = "--keep-scopes" in argv
    argv = [a for a in argv if a != "--keep-scopes"]
    if argv[:1] == ["--diff"] and len(argv) == 3:
        d = diff(_read(argv[1]), _read(argv[2]), argv[1], argv[2], keep)
        sys.stdout.write(d)
        return 1 if d else 0
    if len(argv) > 1 or any(a.startswith("-") and a != "-" for a in argv):
        print(__doc__.split("CLI:")[1], file=sys.stderr)
        return 2
    sys.stdout.write(normalize(_read(argv[0] if argv else "-"), keep))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
