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
# The commands beyond the list: a summary by kind (sizes at least), sorted areas, the
# neighbours of an address, build IDs, and diff of two snapshots (two runs of the tool: two
# processes, so some areas differ), each exit status 0.
tmp=${TMPDIR:-/tmp}/mmapc-win.$$
mkdir -p "$tmp"
for cmd in summary "--json summary" "--sort size areas" "--build-id areas" "--json --build-id areas"; do
    # shellcheck disable=SC2086 # the words of the command
    if ! "$@" $cmd >"$tmp/out" 2>"$tmp/err"; then
        echo "mmapc $cmd failed: $(cat "$tmp/err")"
        fail=1
    fi
done
"$@" summary | tr -d '\r' | grep -q "^total " || { echo "summary has no total row"; fail=1; }
# --sort size: the sizes (third column, "12K") never grow from one row to the next
if ! "$@" --sort size areas | tr -d '\r' | awk 'NR > 1 { v = $3 + 0; if (NR > 2 && v > last) exit 1; last = v }'; then
    echo "--sort size does not put the largest areas first"
    fail=1
fi
first=$("$@" areas | tr -d '\r' | awk 'NR == 3 { print $1 }')
n=$("$@" --context 1 query "$first" | tr -d '\r' | wc -l)
[ "$n" = 4 ] || { echo "query --context 1 of the second area printed $n lines, expected 4"; fail=1; }
"$@" --json areas | tr -d '\r' >"$tmp/a.json" && "$@" --json areas | tr -d '\r' >"$tmp/b.json" ||
    { echo "mmapc --json areas failed"; fail=1; }
if ! "$@" diff "$tmp/a.json" "$tmp/b.json" >"$tmp/diff" 2>"$tmp/err"; then
    echo "mmapc diff failed: $(cat "$tmp/err")"
    fail=1
fi
"$@" diff "$tmp/a.json" "$tmp/a.json" >"$tmp/out" 2>/dev/null && [ ! -s "$tmp/out" ] ||
    { echo "a snapshot against itself is no change: $(cat "$tmp/out")"; fail=1; }
printf '[{"start": "0x1000"' >"$tmp/cut.json"
"$@" diff "$tmp/cut.json" "$tmp/a.json" >/dev/null 2>&1
[ $? = 3 ] || { echo "diff of a cut snapshot: exit status not 3"; fail=1; }
for cmd in summary "--sort size areas"; do
    # shellcheck disable=SC2086
    "$@" $cmd >/dev/full 2>/dev/null
    [ $? = 3 ] || { echo "mmapc $cmd >/dev/full: exit status not 3"; fail=1; }
done
# a write error when there is something to write (two runs of the tool may be alike)
"$@" diff "$tmp/a.json" "$tmp/b.json" >/dev/full 2>/dev/null
got=$?
[ "$got" = 3 ] || { [ "$got" = 0 ] && [ ! -s "$tmp/diff" ]; } ||
    { echo "mmapc diff >/dev/full exited $got"; fail=1; }
"$@" --json diff "$tmp/a.json" "$tmp/b.json" >/dev/full 2>/dev/null
[ $? = 3 ] || { echo "mmapc --json diff >/dev/full: exit status not 3"; fail=1; }
# wss of the tool itself: a block with a total row, written unknown ("-"; null in JSON), the
# total the sum of the areas
"$@" wss self --interval 0.1 --count 1 | tr -d '\r' >"$tmp/wss" || { echo "mmapc wss self failed"; fail=1; }
grep -q '^interval 1 ' "$tmp/wss" && grep -q '^total  *[0-9][0-9]*  *-$' "$tmp/wss" ||
    { echo "mmapc wss self: $(cat "$tmp/wss")"; fail=1; }
if command -v jq >/dev/null 2>&1; then
    "$@" --json wss self --interval 0.1 --count 2 | tr -d '\r' >"$tmp/wss.json"
    [ "$(jq -s 'length == 2 and all(.[]; .total.written == null and .total.accessed > 0 and
        .total.accessed == ([.areas[].accessed] | add))' "$tmp/wss.json")" = true ] ||
        { echo "mmapc --json wss self: $(head -c 300 "$tmp/wss.json")"; fail=1; }
fi
rm -rf "$tmp"

# report: a page of the tool itself and of a snapshot, well-formed HTML (every element closed in
# order, python3's html.parser), and the picture alone as well-formed XML (xmllint, where there)
tmp=${TMPDIR:-/tmp}/mmapc-win-report.$$
mkdir -p "$tmp"
"$@" --json --build-id areas -x 2>/dev/null | tr -d '\r' >"$tmp/s.json" || "$@" --json areas | tr -d '\r' >"$tmp/s.json"
for what in "" "$tmp/s.json"; do
    # shellcheck disable=SC2086 # no word for the tool itself
    if ! "$@" report $what -o "$tmp/r.html" 2>"$tmp/err"; then
        echo "mmapc report $what failed: $(cat "$tmp/err")"
        fail=1
        continue
    fi
    if command -v python3 >/dev/null 2>&1 && ! python3 - "$tmp/r.html" <<'PY'; then
import html.parser, sys
VOID = {"meta", "input", "br", "img", "link", "hr"}
class Check(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.open, self.rows, self.parts = [], 0, 0
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)
        self.parts += tag == "rect" and ("class", "seg") in attrs
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()
c = Check()
text = open(sys.argv[1], encoding="utf-8").read()
c.feed(text)
c.close()
assert not c.open, c.open
assert c.parts > 0 and 'id="mmapc-data"' in text and "default-src 'none'" in text
PY
        echo "mmapc report $what: not a well-formed page"
        fail=1
    fi
    # shellcheck disable=SC2086
    "$@" report --svg $what -o "$tmp/r.svg" || { echo "mmapc report --svg $what failed"; fail=1; }
    if command -v xmllint >/dev/null 2>&1 && ! xmllint --noout "$tmp/r.svg"; then
        echo "mmapc report --svg $what: not well-formed XML"
        fail=1
    fi
done
"$@" report >/dev/full 2>/dev/null
[ $? = 3 ] || { echo "mmapc report >/dev/full: exit status not 3"; fail=1; }
rm -rf "$tmp"

# --json query of no area prints null (exit status 1)
out=$("$@" --json query 0 2>/dev/null)
got=$?
if [ "$got" != 1 ] || [ "$(printf '%s' "$out" | tr -d '\r')" != null ]; then
    echo "mmapc --json query 0 printed '$out', exit $got; expected null, exit 1"
    fail=1
fi
exit $fail
