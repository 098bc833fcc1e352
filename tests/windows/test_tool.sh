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
exit $fail
