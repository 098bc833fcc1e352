#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Print the public functions of a header (every MMAPC_API declaration), one name a line.

Comments and preprocessor lines are dropped first; each declaration must name exactly one
mmapc_* function before its parameter list, or the script fails, so that a declaration it cannot
read is never silently left out. Usage: header-functions.py include/mmapc.h
"""
import re
import sys


def functions(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    names = []
    for stmt in text.split(";"):
        if not re.search(r"\bMMAPC_API\b", stmt):
            continue
        decl = stmt[stmt.index("MMAPC_API"):]
        m = re.match(r"MMAPC_API\b[^(]*?\b(mmapc_\w+)\s*\(", decl)
        if not m:
            sys.exit("cannot read the declaration: " + " ".join(decl.split()))
        names.append(m.group(1))
    return names


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: header-functions.py HEADER")
    with open(sys.argv[1], encoding="utf-8") as f:
        names = functions(f.read())
    if not names:
        sys.exit("no MMAPC_API declaration in " + sys.argv[1])
    if len(set(names)) != len(names):
        sys.exit("a function is declared twice")
    print("\n".join(names))
