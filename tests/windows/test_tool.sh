#!/bin/sh
# SPDX-License-Identifier: MIT
# `mmapc areas` on Windows lists the areas of the tool itself: its own image, kernel32 and the
# anonymous memory of its heap. Usage: test_tool.sh [emulator...] mmapc.exe
out=$("$@" areas) || { echo "mmapc areas failed"; exit 1; }
fail=0
for want in 'mmapc\.exe$' 'kernel32\.dll$' ' rw-p .*\[anon\]$'; do
    if ! printf '%s\n' "$out" | tr -d '\r' | grep -qi -- "$want"; then
        echo "no area matches: $want"
        fail=1
    fi
done
[ "$fail" = 0 ] && echo "mmapc areas: $(printf '%s\n' "$out" | wc -l) lines, own image listed"

# A write error (a full device) is exit status 3 with a message, not a silent success.
for cmd in areas info --version; do
    "$@" "$cmd" >/dev/full 2>"${TMPDIR:-/tmp}/mmapc-win-err.$$"
    got=$?
    if [ "$got" != 3 ] || ! grep -q "write error" "${TMPDIR:-/tmp}/mmapc-win-err.$$"; then
        echo "mmapc $cmd >/dev/full exited $got, expected 3 and a write error"
        fail=1
    fi
done
rm -f "${TMPDIR:-/tmp}/mmapc-win-err.$$"
# --json query of no area prints null (exit status 1)
out=$("$@" --json query 0 2>/dev/null)
got=$?
if [ "$got" != 1 ] || [ "$(printf '%s' "$out" | tr -d '\r')" != null ]; then
    echo "mmapc --json query 0 printed '$out', exit $got; expected null, exit 1"
    fail=1
fi
exit $fail
