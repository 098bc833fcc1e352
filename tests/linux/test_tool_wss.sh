#!/bin/sh
# SPDX-License-Identifier: MIT
# `mmapc wss` against a child that keeps reading 16 pages of its area A and writing 5 of them,
# its area B untouched (tests/linux/wss_child.c): text and JSON (jq), every interval; written
# bytes exact where the kernel keeps soft-dirty bits (the child probes the whole cycle) and "-" /
# null where it does not; a process that is gone, one that ends part of the way (the intervals
# before stay whole), one that may not be measured, and bad --interval / --count.
# Usage: test_tool_wss.sh PATH/TO/wss_child [EMULATOR ARGS...] PATH/TO/mmapc
set -u
[ $# -ge 2 ] || { echo "usage: test_tool_wss.sh wss_child [EMULATOR...] mmapc" >&2; exit 2; }
child_bin=$1
shift
tool="$*"
emulator=
while [ $# -gt 1 ]; do emulator="$emulator $1"; shift; done
command -v jq >/dev/null 2>&1 || { echo "skipped: jq is needed"; exit 77; }
. "$(dirname "$0")/shcheck.sh"
pids=
cleanup() {
    exec 3>&- 2>/dev/null
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
expect() { # expect STATUS ARGS...: the tool's stdout in $work/out, stderr in $work/err
    want=$1
    shift
    $tool "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "mmapc $* exited $got, expected $want"; cat "$work/err" >&2; fi
}
jq_true() { # jq_true DESCRIPTION FILTER: the filter gives true for every line of $work/out
    if [ -s "$work/out" ] && jq -e "$2" "$work/out" >"$work/jq.out" 2>&1 && ! grep -qv '^true$' "$work/jq.out"; then
        ok
    else
        bad "$1 ($2)"
        cat "$work/out" "$work/jq.out" >&2
    fi
}

# the child, its input held open on descriptor 3
mkfifo "$work/child.in"
$emulator "$child_bin" <"$work/child.in" >"$work/child.out" 2>&1 &
child=$!
pids="$pids $child"
exec 3>"$work/child.in"
for _ in $(seq 300); do grep -q ready "$work/child.out" 2>/dev/null && break; sleep 0.1; done
# shellcheck disable=SC2046 # the words of its line
set -- $(head -n 1 "$work/child.out")
[ "${1:-}" = ready ] || { bad "wss_child did not start: $*"; exit 1; }
a=$2 b=$3 page=$4 sd=$5
echo "A 0x$a, B 0x$b, page $page, soft-dirty kept: $sd"
k_bytes=$((16 * page))
j_bytes=$((5 * page))

# ---- JSON: one object a line, one line an interval ----
expect 0 --json wss "$child" --interval 0.2 --count 2
[ "$(wc -l <"$work/out")" -eq 2 ] && ok || bad "two intervals, two lines"
jq_true "intervals numbered" '.interval >= 1 and .interval <= 2 and (.time | type) == "number"'
jq_true "the total is the sum of the areas" '.total.accessed == ([.areas[].accessed] | add)'
if [ -n "$emulator" ] && ! jq -e --arg a "0x$a" 'any(.areas[]; .start == $a)' "$work/out" >/dev/null; then
    # the emulator's guest addresses are not the host's ones (a guest base): the areas the
    # process shows are the emulator's own, and A cannot be found by its guest address
    echo "note: under $emulator, area A is not at its guest address: its figures are not checked"
    have_a=0
else
    have_a=1
fi
if [ "$have_a" = 1 ]; then
    jq -e --arg a "0x$a" --argjson k "$k_bytes" '[.areas[] | select(.start == $a) | .accessed >= $k] == [true]' "$work/out" >/dev/null &&
        ok || bad "A accessed at least 16 pages in each interval"
    jq -e --arg b "0x$b" '[.areas[] | select(.start == $b) | .accessed == 0] == [true]' "$work/out" >/dev/null &&
        ok || bad "B accessed nothing"
    if [ "$sd" = 1 ]; then
        jq -e --arg a "0x$a" --argjson j "$j_bytes" '[.areas[] | select(.start == $a) | .written] == [$j]' "$work/out" >/dev/null &&
            ok || bad "A written exactly 5 pages"
        jq -e --arg b "0x$b" '[.areas[] | select(.start == $b) | .written] == [0]' "$work/out" >/dev/null &&
            ok || bad "B written nothing"
        jq_true "the written total is the sum" '.total.written == ([.areas[].written] | add)'
    fi
fi
if [ "$sd" != 1 ]; then
    jq_true "written unknown everywhere" 'all(.areas[]; .written == null) and .total.written == null'
fi
head -c 300 "$work/out"; echo

# ---- text: a block an interval, a row an area, a total row ----
expect 0 wss "$child" --interval 0.1 --count 2
[ "$(grep -c '^interval ' "$work/out")" -eq 2 ] && ok || bad "two text blocks"
[ "$(grep -c '^total ' "$work/out")" -eq 2 ] && ok || bad "two total rows"
row_a=$(grep -m 1 "^0*$a-" "$work/out")
if [ "$have_a" = 1 ]; then
    # shellcheck disable=SC2086 # the words of A's row
    set -- $row_a
    [ "${2:-0}" -ge $((k_bytes / 1024)) ] && ok || bad "text: A accessed: $row_a"
    if [ "$sd" = 1 ]; then
        [ "${3:-}" = $((j_bytes / 1024)) ] && ok || bad "text: A written: $row_a"
    else
        [ "${3:-}" = - ] && ok || bad "text: A written unknown: $row_a"
    fi
    # shellcheck disable=SC2046 # the words of B's row
    set -- $(grep -m 1 "^0*$b-" "$work/out")
    [ "${2:-}" = 0 ] && ok || bad "text: B accessed nothing"
fi
head -n 3 "$work/out"

# ---- bad command lines ----
expect 2 wss "$child" --interval 0
expect 2 wss "$child" --interval x
expect 2 wss "$child" --count 0
expect 2 wss
expect 2 wss "$child" 1
expect 2 wss "$child" --sort rss

# ---- a process that may not be measured ----
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid 65534 --regid 65534 --clear-groups $tool wss "$child" --interval 0.1 --count 1 \
        >"$work/out" 2>"$work/err"
    st=$?
    [ "$st" -eq 3 ] && [ ! -s "$work/out" ] && grep -q 'denied\|not permitted' "$work/err" && ok ||
        bad "another user's process: exit $st, $(cat "$work/err")"
else
    # not root: a process of root's (init) may not be measured
    expect 3 wss 1 --interval 0.1 --count 1
fi

# ---- a process that ends part of the way: the intervals before stay whole ----
$tool --json wss "$child" --interval 0.2 >"$work/run.out" 2>"$work/run.err" 3>&- &
run=$!
pids="$pids $run"
for _ in $(seq 300); do [ -s "$work/run.out" ] && break; sleep 0.05; done
exec 3>&-
wait "$child"
wait "$run"
st=$?
[ "$st" -eq 1 ] && ok || bad "the process ended: exit $st, expected 1"
grep -q 'no such process' "$work/run.err" && ok || bad "the process ended: $(cat "$work/run.err")"
cp "$work/run.out" "$work/out"
jq_true "the intervals before are whole JSON lines" '.total | type == "object"'

# ---- a process that is gone ----
expect 1 wss "$child" --interval 0.1 --count 1
grep -q 'no such process' "$work/err" && ok || bad "gone: $(cat "$work/err")"

sh_done
