#!/bin/sh
# SPDX-License-Identifier: MIT
# The mmapc tool: exit statuses, messages, the table and JSON against /proc/PID/maps, JSON
# validity for hostile file names, the demo.
# Usage: test_tool.sh [EMULATOR ARGS...] PATH/TO/mmapc   (the words are run as the tool)
set -u
[ $# -ge 1 ] || { echo "usage: test_tool.sh [EMULATOR...] PATH/TO/mmapc" >&2; exit 2; }
tool="$*"
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is needed to check the JSON output"
    exit 77
fi
work=$(mktemp -d)
helper_pid=
cleanup() {
    [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); printf 'FAILED: %s\n' "$*" >&2; }

# expect STATUS CMD...: run the tool, keep stdout/stderr in $work/out, $work/err
expect() {
    want=$1
    shift
    $tool "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "mmapc $* exited $got, expected $want"; cat "$work/err" >&2; fi
}
# stderr must say something that contains $1
says() {
    if grep -qi -- "$1" "$work/err"; then ok; else bad "stderr lacks '$1':"; cat "$work/err" >&2; fi
}
json_ok() {
    if python3 -m json.tool "$work/out" >/dev/null; then ok; else bad "invalid JSON from: $*"; fi
}

# ---- usage ----
expect 0 --help
grep -q "^usage: mmapc" "$work/out" && ok || bad "--help prints the usage"
expect 0 --version
grep -q "mmapc [0-9]" "$work/out" && ok || bad "--version prints the version"
expect 2
says "no command"
expect 2 frobnicate
says "unknown command"
expect 2 --frob areas
says "unknown option"
expect 2 -qx areas
says "unknown option '-q'"
expect 2 -xq areas
says "unknown option '-q'"
expect 2 areas 12abc
says "bad pid"
expect 2 areas 0
says "bad pid"
expect 2 areas -5
says "bad pid"
expect 2 query 1000 -5
says "bad pid"
grep -q "self" "$work/err" && ok || bad "a bad pid's message names 'self'"
expect 0 --help
grep -qi "PID.*'self'" "$work/out" && ok || bad "--help says a PID may be 'self'"
expect 2 areas 1 2
expect 2 query
says "needs an address"
expect 2 query 0xZZ
says "bad address"
expect 2 query 10000000000000000000000
says "bad address"
expect 2 info extra

# ---- a process whose areas hold still: python maps a file with a hostile name, and two whose
# names differ only in a newline and its escaped form, backslash and all ----
name=$(printf 'mmapc "tool"\\ \001\tname caf\303\251 \377end')
printf 'some bytes for the mapping\n' >"$work/$name"
newline=$(printf 'mmapc x\ny')
literal='mmapc x\012y'
printf 'newline\n' >"$work/$newline"
printf 'literal\n' >"$work/$literal"
python3 - "$work/$name" "$work/$newline" "$work/$literal" >"$work/helper" <<'PY' &
import mmap, sys, time
maps = []
for path in sys.argv[1:]:
    f = open(path, "rb")
    maps.append(mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ))
print("ready", flush=True)
time.sleep(100000)  # until the test ends it, however slow the machine
PY
helper_pid=$!
for _ in $(seq 100); do grep -q ready "$work/helper" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/helper" || { bad "helper did not start"; exit 1; }

expect 0 --json areas "$helper_pid"
json_ok areas --json
cp "$work/out" "$work/areas.json"
expect 0 --json --text areas "$helper_pid"
cmp -s "$work/out" "$work/areas.json" && ok || bad "--text lists the same areas"
expect 0 areas "$helper_pid"
cp "$work/out" "$work/areas.txt"
# every field against the kernel's own text, and the hostile name decoded as expected
python3 - "$work/areas.json" "/proc/$helper_pid/maps" "$work/$name" "$work/areas.txt" <<'PY' && ok || bad "areas agree with /proc/PID/maps"
import json, os, sys
areas = json.load(open(sys.argv[1]))
lines = open(sys.argv[2], "rb").read().splitlines()
assert len(areas) == len(lines), (len(areas), len(lines))
for a, line in zip(areas, lines):
    f = line.split(None, 5)
    lo, hi = (int(x, 16) for x in f[0].split(b"-"))
    assert int(a["start"], 16) == lo and int(a["end"], 16) == hi and a["size"] == hi - lo
    assert a["perms"] == f[1].decode() and a["offset"] == int(f[2], 16)
    major, minor = (int(x, 16) for x in f[3].split(b":"))
    assert (a["dev_major"], a["dev_minor"], a["inode"]) == (major, minor, int(f[4]))
    raw = f[5] if len(f) > 5 else b""
    path = bytes.fromhex(a["path_hex"]) if "path_hex" in a else a["path"].encode()
    # the real name, which the kernel's text prints with a newline as \012
    printed = path.replace(b"\n", b"\\012")
    assert printed + (b" (deleted)" if a["deleted"] else b"") == raw, (path, raw)
hostile = os.fsencode(sys.argv[3])
mine = [a for a in areas if a.get("path_hex") == hostile.hex()]
assert len(mine) == 1 and mine[0]["kind"] == "file", "hostile name once, in hex"
assert mine[0]["path"] == hostile.decode("utf-8", "replace"), mine[0]["path"]
assert len(open(sys.argv[4], "rb").read().splitlines()) == len(areas) + 1, "one row per area"
PY

# ---- query ----
first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["start"])' "$work/areas.json")
expect 0 --json query "$first" "$helper_pid"
json_ok query
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert a["start"]==sys.argv[2]' "$work/out" "$first" && ok || bad "query returns the area"
expect 0 query "${first#0x}" "$helper_pid"
expect 1 query 0 "$helper_pid"
says "no area at 0x0"
expect 1 --text query 0 "$helper_pid"
says "no area"
# no area: JSON null, so that a pipe into a JSON reader works
expect 1 --json query 0 "$helper_pid"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) is None' "$work/out" && ok || bad "--json query of no area prints null"
if command -v jq >/dev/null 2>&1; then
    # (jq 1.6 exits 0 on empty input: look at what it prints)
    [ "$($tool --json query 0 "$helper_pid" 2>/dev/null | jq '. == null')" = true ] && ok || bad "jq reads null"
fi
# an address that looks decimal gets a hint that addresses are hexadecimal; a 0x one does not
expect 1 query 4096 "$helper_pid"
says "hexadecimal"
expect 1 query 0x4096 "$helper_pid"
grep -qi "hexadecimal" "$work/err" && bad "no hint for an address with 0x" || ok
expect 2 query 99999999999999999999 "$helper_pid"
says "hexadecimal"

# One name per area in every command, and two files never print the same: a newline in a name
# and the four bytes \012 (which the kernel's text prints alike; the library takes the real name
# from map_files). The table escapes a backslash, JSON carries the real name.
newline_ino=$(stat -c %i "$work/$newline")
literal_ino=$(stat -c %i "$work/$literal")
# row_name FILE INODE: the name in the table row of the area of that inode
row_name() { awk -v ino="$2" '$7 == ino { sub(/.* /, ""); print }' "$1"; }
for text in "" --text; do
    # shellcheck disable=SC2086 # $text: an option or none
    expect 0 $text areas "$helper_pid"
    [ "$(row_name "$work/out" "$newline_ino")" = 'x\012y' ] && ok || bad "areas $text: a newline in a name is \\012: $(row_name "$work/out" "$newline_ino")"
    [ "$(row_name "$work/out" "$literal_ino")" = 'x\\012y' ] && ok || bad "areas $text: a backslash in a name is doubled: $(row_name "$work/out" "$literal_ino")"
    # shellcheck disable=SC2086
    expect 0 $text --json areas "$helper_pid"
    cp "$work/out" "$work/names.json"
    python3 - "$work/names.json" "$newline_ino" "$literal_ino" <<'PY' && ok || bad "areas $text --json: the real names"
import json, sys
areas = {a["inode"]: a for a in json.load(open(sys.argv[1]))}
assert areas[int(sys.argv[2])]["path"].endswith("/mmapc x\ny"), areas[int(sys.argv[2])]
assert areas[int(sys.argv[3])]["path"].endswith("/mmapc x\\012y"), areas[int(sys.argv[3])]
PY
    for which in newline literal; do
        eval "ino=\$${which}_ino"
        addr=$(python3 -c 'import json,sys; print([a["start"] for a in json.load(open(sys.argv[1])) if a["inode"] == int(sys.argv[2])][0])' \
            "$work/names.json" "$ino")
        # shellcheck disable=SC2086
        expect 0 $text query "$addr" "$helper_pid"
        row_name "$work/out" "$ino" >"$work/row.$which"
        # shellcheck disable=SC2086
        expect 0 $text --json query "$addr" "$helper_pid"
        python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"].split("/")[-1].encode("unicode_escape").decode())' \
            "$work/out" >"$work/json.$which"
    done
    grep -qxF 'x\012y' "$work/row.newline" && ok || bad "query $text: a newline in a name is \\012: $(cat "$work/row.newline")"
    grep -qxF 'x\\012y' "$work/row.literal" && ok || bad "query $text: a backslash in a name is doubled: $(cat "$work/row.literal")"
    grep -qxF 'mmapc x\ny' "$work/json.newline" && ok || bad "query $text --json: the newline: $(cat "$work/json.newline")"
    grep -qxF 'mmapc x\\012y' "$work/json.literal" && ok || bad "query $text --json: the backslash: $(cat "$work/json.literal")"
done
# diff (and watch, which prints as diff does): every area of the helper added to nothing
echo '[]' >"$work/empty.json"
expect 0 diff "$work/empty.json" "$work/names.json"
names=$(grep 'mmapc x' "$work/out" | sed 's/.* //' | LC_ALL=C sort | tr '\n' ' ')
[ "$names" = 'x\012y x\\012y ' ] && ok || bad "diff prints the two names apart: $names"
[ "$(grep -c 'mmapc x' "$work/out")" -eq 2 ] && ok || bad "diff: one line each: $(grep 'mmapc x' "$work/out")"

# ---- processes that are not there, or not ours: a message, and nothing on stdout (a script
# that saves a snapshot must not get the start of one) ----
# no_output WHAT: stdout of the last run is empty
no_output() {
    if [ -s "$work/out" ]; then bad "$* printed on stdout though it failed: $(head -c 200 "$work/out")"; else ok; fi
}
pid_max=$(cat /proc/sys/kernel/pid_max)
gone=$((pid_max + 1))
for cmd in "areas $gone" "--json areas $gone" "-x areas $gone" "--json -x areas $gone" \
    "--build-id areas $gone" "--sort rss areas $gone" "--json --sort size areas $gone" \
    "summary $gone" "--json summary $gone" "query 0x1000 $gone" "--json query 0x1000 $gone" \
    "--context 2 query 0x1000 $gone" "--json --context 2 query 0x1000 $gone" "watch $gone" \
    "--json watch $gone" "--text areas $gone" "--text -x areas $gone"; do
    # shellcheck disable=SC2086 # the words of the command
    expect 1 $cmd
    says "no such process"
    no_output "mmapc $cmd"
    # the reason is that the process is not there, not a missing file
    grep -qi "no such file" "$work/err" && bad "mmapc $cmd gives a file's reason: $(cat "$work/err")" || ok
done
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid=65534 --regid=65534 --clear-groups $tool areas "$helper_pid" >/dev/null 2>"$work/err"
    got=$?
    [ "$got" -eq 3 ] && ok || bad "areas of a root process as nobody exited $got, expected 3"
    says "access denied"
    for cmd in "areas $helper_pid" "--json areas $helper_pid" "-x areas $helper_pid" \
        "--json -x areas $helper_pid" "summary $helper_pid" "--sort rss areas $helper_pid"; do
        # shellcheck disable=SC2086
        setpriv --reuid=65534 --regid=65534 --clear-groups $tool $cmd >"$work/out" 2>"$work/err"
        got=$?
        [ "$got" -eq 3 ] && ok || bad "mmapc $cmd as nobody exited $got, expected 3"
        says "access denied"
        no_output "mmapc $cmd as nobody"
    done
elif [ "$(id -u)" -ne 0 ] && [ "$(stat -c %u /proc/1)" != "$(id -u)" ]; then
    # not root: pid 1 is another user's process
    expect 3 areas 1
    says "denied"
    no_output "mmapc areas 1"
    expect 3 --json areas 1
    no_output "mmapc --json areas 1"
else
    echo "skipped: permission check needs root and setpriv, or a pid 1 of another user"
fi

# a process that ends while it is listed: a complete listing or nothing (10,000 areas, killed
# after a while that varies from run to run)
for i in 1 2 3 4 5 6; do
    python3 - >"$work/many" <<'PY' &
import ctypes, mmap, time
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
page = mmap.PAGESIZE
base = libc.mmap(None, 20000 * page, 3, 0x22, -1, 0)
for k in range(0, 20000, 2):  # every other page read-only: 20,000 areas
    libc.mprotect(ctypes.c_void_p(base + k * page), page, 1)
print("ready", flush=True)
time.sleep(60)
PY
    many=$!
    for _ in $(seq 100); do grep -q ready "$work/many" 2>/dev/null && break; sleep 0.1; done
    set -- "--json -x areas" "-x areas" "--json areas" "areas" "summary" "--sort rss areas"
    eval "cmd=\${$(( (i - 1) % 6 + 1 ))}"
    # shellcheck disable=SC2086
    $tool $cmd "$many" >"$work/out" 2>"$work/err" &
    lister=$!
    sleep "0.0$((i * 3))"
    kill -9 "$many" 2>/dev/null
    wait "$lister"
    got=$?
    wait "$many" 2>/dev/null
    if [ "$got" -eq 0 ]; then
        case $cmd in
        --json*) json_ok "mmapc $cmd of a process that ended" ;;
        -x*) tail -n 1 "$work/out" | grep -q "areas$" && ok || bad "mmapc $cmd: no totals row" ;;
        *) ok ;;
        esac
    else
        no_output "mmapc $cmd of a process that ended during the listing (exit $got)"
    fi
done

# ---- info, page sizes, demo ----
expect 0 info
grep -q "page size" "$work/out" && ok || bad "info prints the page size"
# "key: value" lines, every value in the same column
awk '{ i = index($0, ": "); if (i == 0) { print "no key: " $0; exit 1 }
       v = i + 2; while (substr($0, v, 1) == " ") v++
       if (col && v != col) { print "not aligned: " $0; exit 1 } col = v }' "$work/out" >&2 && ok || bad "info prints aligned key: value lines"
expect 0 --json info
json_ok info --json
MMAPC_FORCE_TEXT=1 $tool info | grep -q "area queries: *text" && ok || bad "MMAPC_FORCE_TEXT=1 shows in info"
expect 0 --json page-sizes
json_ok page-sizes --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s[0]>0 and s==sorted(s)' "$work/out" && ok || bad "page sizes ascending"
expect 0 demo
n=$(grep -c "<- demo:" "$work/out")
[ "$n" -ge 6 ] && ok || bad "demo marks its areas ($n)"
expect 0 --json demo
json_ok demo --json

# ---- write errors: a full device and a closed stdout are failures (exit 3, a message), for
# every command that prints; with stdout closed nothing is written into a descriptor of the
# library's ----
for cmd in --help --version help areas "areas $helper_pid" "areas self" \
    "query $first $helper_pid" info page-sizes demo "--json areas" "--json query $first $helper_pid" \
    "--json query 0 $helper_pid" "--json info" "--json page-sizes" "--json demo"; do
    # shellcheck disable=SC2086 # the words of the command
    $tool $cmd >/dev/full 2>"$work/err"
    got=$?
    [ "$got" -eq 3 ] && ok || bad "mmapc $cmd >/dev/full exited $got, expected 3"
    says "write error"
    # shellcheck disable=SC2086
    $tool $cmd >&- 2>"$work/err"
    got=$?
    [ "$got" -eq 3 ] && ok || bad "mmapc $cmd >&- exited $got, expected 3"
    says "write error"
done
# nothing to print: a closed stdout is no error then
$tool query 0 "$helper_pid" >&- 2>"$work/err"
got=$?
[ "$got" -eq 1 ] && ok || bad "mmapc query 0 >&- exited $got, expected 1"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
