#!/bin/sh
# SPDX-License-Identifier: MIT
# The API reference builds from the header with no Doxygen warning (the Doxyfile sets
# WARN_IF_UNDOCUMENTED and WARN_AS_ERROR: an undocumented public declaration fails), and it holds
# every public function of the header (so a declaration Doxygen could not read, which would give
# no warning, fails too).
# Usage: check-api-docs.sh DOXYGEN DOXYFILE HEADER OUTPUT-DIR
set -u
[ $# -eq 4 ] || { echo "usage: check-api-docs.sh DOXYGEN DOXYFILE HEADER OUTPUT-DIR" >&2; exit 2; }
doxygen=$1 doxyfile=$2 header=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

# The configured Doxyfile, writing to a folder of its own and a tag file listing what it documents.
{
    cat "$doxyfile"
    echo "OUTPUT_DIRECTORY = $out"
    echo "GENERATE_TAGFILE = $out/mmapc.tag"
} | "$doxygen" - >"$out/log" 2>&1
rc=$?
if [ $rc -eq 0 ] && ! grep -qi 'warning\|error' "$out/log"; then ok; else
    bad "doxygen (exit status $rc):"
    cat "$out/log" >&2
fi
[ -f "$out/html/index.html" ] && ok || bad "no $out/html/index.html"

functions=$(python3 "$(dirname "$0")/header-functions.py" "$header") || { bad "cannot read $header"; exit 1; }
missing=
for f in $functions; do
    grep -q "<name>$f</name>" "$out/mmapc.tag" 2>/dev/null || missing="$missing $f"
done
if [ -z "$missing" ]; then ok; else bad "not in the API reference:$missing"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
