#!/bin/sh
# SPDX-License-Identifier: MIT
# mmapc pages: a child (python3) writes every other page of a shared anonymous area of 16 pages;
# the table and the JSON (read with jq) give 16 runs, the present ones those the child's
# /proc/PID/pagemap (read directly) says are present, the same through the pagemap file alone
# (MMAPC_FORCE_PAGEMAP=1); a hole is an unmapped run; bad input, a gone process: their statuses.
# Usage: test_tool_pages.sh [EMULATOR ARGS...] PATH/TO/mmapc
set -u
[ $# -ge 1 ] || { echo "usage: test_tool_pages.sh [EMULATOR...] PATH/TO/mmapc" >&2; exit 2; }
tool="$*"
. "$(dirname "$0")/shcheck.sh"
child=
cleanup() {
    [ -n "$child" ] && kill "$child" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
expect() {
    want=$1
    shift
    $tool "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "mmapc $* exited $got, expected $want"; cat "$work/err" >&2; fi
}
says() {
    if grep -qi -- "$1" "$work/err"; then ok; else bad "stderr lacks '$1':"; cat "$work/err" >&2; fi
}

# the child: 16 pages, every other one written; then 3 pages with the middle one unmapped
mkfifo "$work/ready"
python3 - "$work/ready" <<'PY' &
import ctypes, mmap, os, sys, time
page = mmap.PAGESIZE
m = mmap.mmap(-1, 16 * page)
for i in range(0, 16, 2):
    m[i * page] = 1
a = ctypes.addressof(ctypes.c_char.from_buffer(m))
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
h = libc.mmap(None, 3 * page, 3, 0x22, -1, 0)
libc.munmap(h + page, page)
with open(sys.argv[1], "w") as f:
    f.write("%x %x %d\n" % (a, h, page))
time.sleep(120)
PY
child=$!
read -r addr hole page <"$work/ready"
len=$(printf '%x' $((16 * page)))

# the oracle: bit 63 of each page's pagemap entry, as 16 letters (p present, - not)
oracle=$(python3 - "$child" "$addr" "$page" <<'PY'
import struct, sys
pid, addr, page = int(sys.argv[1]), int(sys.argv[2], 16), int(sys.argv[3])
with open("/proc/%d/pagemap" % pid, "rb") as f:
    f.seek(addr // page * 8)
    e = struct.unpack("16Q", f.read(128))
print("".join("p" if x >> 63 & 1 else "-" for x in e))
PY
)
[ "$oracle" = "p-p-p-p-p-p-p-p-" ] && ok || bad "the child's pattern is $oracle"

for force in 0 1; do
    export MMAPC_FORCE_PAGEMAP=$force
    expect 0 pages "$child" "$addr" "$len"
    [ "$(head -1 "$work/out" | cut -c1-5)" = "START" ] && ok || bad "no header ($force)"
    [ "$(tail -n +2 "$work/out" | wc -l)" -eq 16 ] && ok || bad "16 runs in the table ($force)"
    got=$(tail -n +2 "$work/out" | awk '{ printf "%s", ($4 ~ /(^|,)present(,|$)/ ? "p" : "-") }')
    [ "$got" = "$oracle" ] && ok || bad "table $got, pagemap $oracle ($force)"
    expect 0 --json pages "$child" "$addr" "$len"
    got=$(jq -r 'map(if (.flags | index("present")) then "p" else "-" end) | join("")' "$work/out")
    [ "$got" = "$oracle" ] && ok || bad "json $got, pagemap $oracle ($force)"
    [ "$(jq '[.[].pages] | add' "$work/out")" -eq 16 ] && ok || bad "json pages add up ($force)"
    [ "$(jq -r '.[0].start' "$work/out")" = "0x$addr" ] && ok || bad "json start ($force)"
    jq -e 'all(.[]; (.flags | index("present")) == null or (.flags | index("exclusive")) != null)' \
        "$work/out" >/dev/null && ok || bad "present pages are exclusive ($force)"
    # without a length: to the end of the area
    expect 0 --json pages "$child" "$addr"
    [ "$(jq '[.[].pages] | add' "$work/out")" -eq 16 ] && ok || bad "default length ($force)"
    # the hole
    expect 0 --json pages "$child" "$hole" "$(printf '%x' $((3 * page)))"
    [ "$(jq -c '[.[].flags | index("unmapped") != null]' "$work/out")" = "[false,true,false]" ] &&
        ok || bad "the hole: $(cat "$work/out")"
done
unset MMAPC_FORCE_PAGEMAP

# bad input
expect 2 pages "$child" zz 1000
says "bad address"
expect 2 pages "$child" "$addr" 12g
says "bad length"
expect 2 pages "$child"
expect 2 pages nobody "$addr"
expect 3 pages "$child" "$addr" ffffffffffffffff
says "invalid offset"
expect 3 pages "$child" fffffffffffff000 1000
says "invalid offset"
expect 1 pages "$child" 1000
says "no area"
expect 0 --json pages "$child" "$addr" 0
[ "$(jq length "$work/out")" -eq 0 ] && ok || bad "an empty range is []"

# a process that ends part of the way: the output is whole (status 0) or empty (status 1), never
# the start of a table or of a JSON document. The tool writes to a fifo that nobody reads until
# the child is gone: a tool that streams its runs (1,024 at a time, more than the pipe holds)
# blocks on the full pipe part of the way, then reads a process that has ended
for json in "" --json; do
    rm -f "$work/ready2" "$work/pipe"
    mkfifo "$work/ready2" "$work/pipe"
    python3 - "$work/ready2" <<'PY' &
import ctypes, mmap, sys, time
page, n = mmap.PAGESIZE, 8192
m = mmap.mmap(-1, n * page)
for i in range(0, n, 2):
    m[i * page] = 1
with open(sys.argv[1], "w") as f:
    f.write("%x %d\n" % (ctypes.addressof(ctypes.c_char.from_buffer(m)), n))
time.sleep(120)
PY
    child2=$!
    read -r addr2 n2 <"$work/ready2"
    $tool $json pages "$child2" "$addr2" "$(printf '%x' $((n2 * page)))" >"$work/pipe" 2>"$work/err" &
    pages=$!
    exec 4<"$work/pipe"
    sleep 0.5
    kill -9 "$child2"
    wait "$child2" 2>/dev/null
    cat <&4 >"$work/out"
    exec 4<&-
    wait "$pages"
    st=$?
    if [ "$st" -eq 0 ]; then
        if [ -n "$json" ]; then
            [ "$(jq '[.[].pages] | add' "$work/out")" = "$n2" ] && ok || bad "json of a process that ended: not all $n2 pages"
        else
            [ "$(tail -n +2 "$work/out" | awk '{ n += $3 } END { print n }')" = "$n2" ] && ok || bad "table of a process that ended: not all $n2 pages"
        fi
    else
        [ "$st" -eq 1 ] && ok || bad "pages$json of a process that ended exited $st"
        [ ! -s "$work/out" ] && ok || bad "pages$json of a process that ended wrote a part: $(tail -c 120 "$work/out")"
        says "no such process"
    fi
done

# a gone process
kill "$child"
wait "$child" 2>/dev/null
expect 1 pages "$child" "$addr" 1000
says "no such process"
child=

sh_done
