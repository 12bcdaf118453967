#!/usr/bin/env python3
"""Checks that every schema string in the given op family sources is
PyTorch 1.13's exact text (one line of schemas-torch-1.13.txt).

    python3 tests/ops/check_schemas.py [SCHEMA_FILE] src/ops/scalar.c src/ops/list.c src/ops/str.c
"""
import ast
import re
import sys

args = sys.argv[1:]
schema_file = "/work/shared/docs/schemas-torch-1.13.txt"
if args and args[0].endswith(".txt"):
    schema_file = args.pop(0)
known = set(line.rstrip("\n") for line in open(schema_file))
entry = re.compile(r'^\s*\{("(?:[^"\\]|\\.)*"),\s*(\w+)\},\s*$')
bad = 0
for path in args:
    n = 0
    keys = set()
    for line in open(path):
        m = entry.match(line)
        if not m:
            continue
        schema = ast.literal_eval(m.group(1))
        n += 1
        key = schema.split("(")[0]
        if key in keys:
            print(f"{path}: duplicate key {key}")
            bad += 1
        keys.add(key)
        if schema.startswith("cts::"):
            continue  # cts's own fused ops (made by passes, never by the compiler)
        if schema not in known:
            print(f"{path}: not a PyTorch 1.13 schema: {schema}")
            bad += 1
    print(f"{path}: {n} schemas")
sys.exit(1 if bad else 0)
