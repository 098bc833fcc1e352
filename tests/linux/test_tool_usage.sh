#!/bin/sh
# SPDX-License-Identifier: MIT
# The mmapc tool beyond the area list: `areas -x` against pmap -X and -XX (every row, every
# column they share) for a child with 10,000 areas and for plain processes, the totals row, the
# summary against the areas, --sort, query --context, --build-id against readelf -n, diff and
# watch against the changes a scripted child makes, snapshots that are not JSON, and a write
# error (a full device, a closed stdout) for every command that prints.
# Usage: test_tool_usage.sh PATH/TO/tool_child [EMULATOR ARGS...] PATH/TO/mmapc
set -u
[ $# -ge 2 ] || { echo "usage: test_tool_usage.sh tool_child [EMULATOR...] mmapc" >&2; exit 2; }
child_bin=$1
shift
tool="$*"
emulator=
while [ $# -gt 1 ]; do emulator="$emulator $1"; shift; done
if [ -n "$emulator" ]; then
    # the areas an emulator shows are its own, not the guest's, and pmap sees the emulator
    echo "skipped: under an emulator ($emulator) pmap describes the emulator"
    exit 77
fi
for need in python3 jq pmap readelf; do
    command -v $need >/dev/null 2>&1 || { echo "skipped: $need is needed"; exit 77; }
done
work=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); printf 'FAILED: %s\n' "$*" >&2; }
check() { # check DESCRIPTION COMMAND...: the command succeeds
    what=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then ok; else bad "$what"; cat "$work/check.out" >&2; fi
}
# expect STATUS ARGS...: run the tool, stdout in $work/out, stderr in $work/err
expect() {
    want=$1
    shift
    $tool "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "mmapc $* exited $got, expected $want"; cat "$work/err" >&2; fi
}
jq_ok() { if jq -e . "$work/out" >/dev/null 2>&1; then ok; else bad "invalid JSON (jq) from $*"; fi; }

# start_child NAME ARGS...: a tool_child reading commands from the fifo $work/NAME.in; its pid
# in $child, its "ready" line in $ready
start_child() {
    name=$1
    shift
    mkfifo "$work/$name.in"
    "$child_bin" "$@" <"$work/$name.in" >"$work/$name.out" 2>&1 &
    child=$!
    pids="$pids $child"
    # hold the fifo open for writing in the shell, on a descriptor of the child's name
    eval "exec ${name#c}>\"\$work/\$name.in\""
    for _ in $(seq 300); do grep -q ready "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
    ready=$(head -n 1 "$work/$name.out")
    case $ready in ready*) ;; *) bad "tool_child $* did not start: $ready"; exit 1 ;; esac
}
# tell DESCRIPTOR WORD: send a command to a child and wait for its "ok"
tell() {
    n=$(grep -c '^ok' "$work/c$1.out")
    echo "$2" >&"$1"
    for _ in $(seq 100); do [ "$(grep -c '^ok' "$work/c$1.out")" -gt "$n" ] && return 0; sleep 0.05; done
    bad "tool_child did not answer $2"
}

# ---- areas -x against pmap -X and pmap -XX ----
# compare_pmap PID: pmap before and after the tool; each figure of the tool equals one of them
# (the Pss of a library shared with other processes changes as they come and go)
compare_pmap() {
    pid=$1
    pmap -X "$pid" >"$work/pmap1.X" && pmap -XX "$pid" >"$work/pmap1.XX" || { bad "pmap $pid"; return; }
    $tool --json areas -x "$pid" >"$work/x.json" || bad "mmapc --json areas -x $pid"
    $tool areas -x "$pid" >"$work/x.txt" || bad "mmapc areas -x $pid"
    pmap -X "$pid" >"$work/pmap2.X" && pmap -XX "$pid" >"$work/pmap2.XX" || { bad "pmap $pid"; return; }
    check "areas -x of $pid matches pmap -X and -XX" python3 - "$work" <<'PY'
import json, os, sys
w = sys.argv[1]
areas = json.load(open(w + "/x.json"))
table = open(w + "/x.txt").read().splitlines()

def shared_kib(p):
    """The shared part of a pmap row: -XX tells it; -X only Rss and Pss, and a page shared by
    n processes adds 1/n of itself to Pss, so at most 2 (Rss - Pss) of the area is shared."""
    if "Shared_Clean" in p:
        return int(p["Shared_Clean"]) + int(p["Shared_Dirty"])
    return min(int(p["Rss"]), 2 * (int(p["Rss"]) - int(p["Pss"])))


def pmap(name, until):
    """The rows of a pmap listing: the columns up to `until` (not included), and the rest."""
    lines = open(w + "/" + name).read().splitlines()
    head = lines[1].split()
    cut = head.index(until)
    rows = []
    for line in lines[2:]:
        if line.lstrip().startswith("===="):
            break
        f = line.split()
        rows.append((dict(zip(head[:cut], f[:cut])), f[cut:]))
    return head, rows

col = {"Size": None, "KernelPageSize": "kernel_page_size", "MMUPageSize": "mmu_page_size",
       "Rss": "rss", "Pss": "pss", "Pss_Dirty": "pss_dirty", "Shared_Clean": "shared_clean",
       "Shared_Dirty": "shared_dirty", "Private_Clean": "private_clean",
       "Private_Dirty": "private_dirty", "Referenced": "referenced", "Anonymous": "anonymous",
       "KSM": "ksm", "LazyFree": "lazy_free", "AnonHugePages": "anon_huge_pages",
       "ShmemPmdMapped": "shmem_pmd_mapped", "FilePmdMapped": "file_pmd_mapped",
       "Shared_Hugetlb": "shared_hugetlb", "Private_Hugetlb": "private_hugetlb", "Swap": "swap",
       "SwapPss": "swap_pss", "Locked": "locked", "THPeligible": "thp_eligible",
       "ProtectionKey": "protection_key"}

def mine(a, c):
    if c == "Size":
        return a["size"] // 1024
    v = a[col[c]]
    return v if c in ("THPeligible", "ProtectionKey") else v // 1024

for kind, until in (("X", "Mapping"), ("XX", "VmFlags")):
    h1, r1 = pmap("pmap1." + kind, until)
    h2, r2 = pmap("pmap2." + kind, until)
    assert len(areas) == len(r1) == len(r2), (kind, len(areas), len(r1), len(r2))
    shared = [c for c in h1[:h1.index(until)] if c in col]
    assert len(shared) >= (15 if kind == "X" else 23), (kind, shared)
    for a, (p1, rest1), (p2, rest2) in zip(areas, r1, r2):
        assert int(p1["Address"], 16) == int(a["start"], 16), (p1, a["start"])
        assert p1["Perm"] == a["perms"] and int(p1["Offset"], 16) == a["offset"], (p1, a)
        major, minor = (int(x, 16) for x in p1["Device"].split(":"))
        assert (major, minor, int(p1["Inode"])) == (a["dev_major"], a["dev_minor"], a["inode"])
        for c in shared:
            v, v1, v2 = mine(a, c), int(p1[c]), int(p2[c])
            if v in (v1, v2):
                continue
            # A page of a file the tool maps too (its C library: musl's, when pmap's is glibc's)
            # is shared while the tool reads and private while pmap does: the clean and the
            # dirty totals stay.
            if c.split("_")[0] in ("Shared", "Private"):
                t = c.split("_")[1]
                v = (a["shared_" + t.lower()] + a["private_" + t.lower()]) // 1024
                if v in (int(p["Shared_" + t]) + int(p["Private_" + t]) for p in (p1, p2)):
                    continue
            # The Pss of a page also mapped by others (libc: pmap's, the tool's, those of the
            # tests run alongside) moves as they come and go: between the private part and the
            # Rss, so by the shared part at most, in whichever look saw more of it shared (a page
            # private in one look may be shared by processes that came in the other)
            shared_max = max([(a["shared_clean"] + a["shared_dirty"]) // 1024] +
                             [shared_kib(p) for p in (p1, p2)])
            assert c in ("Pss", "Pss_Dirty", "SwapPss") and abs(v - v1) <= shared_max, (kind, a["start"], c, v, v1, v2)
        if kind == "X":  # Mapping: the file's name, a pseudo-area's name, nothing for [anon]
            got = " ".join(rest1)
            want = os.path.basename(a["path"]) if a["kind"] == "file" else a["path"]
            if a["deleted"]:
                want += " (deleted)"
            assert got == want, (got, want)
        else:  # VmFlags: the same codes (pmap -XX prints them before the name)
            flags = set(a["vm_flags"])
            assert flags and flags <= set(rest1), (a["start"], flags, rest1)
# the table: one row per area, the header names pmap -XX's columns, the totals sum the rows
head = table[0].split()
assert head[:5] == ["Address", "Perm", "Offset", "Device", "Inode"] and head[-1] == "Mapping"
xx = open(w + "/pmap1.XX").read().splitlines()[1].split()
assert [c for c in head if c != "BuildID"] == xx, (head, xx)
nums = head[5:head.index("VmFlags")]
rows, total = table[1:-1], table[-1].split()
assert len(rows) == len(areas) and total[0] == "total", (len(rows), len(areas), total[:1])
sums = [0] * len(nums)
for line, a in zip(rows, areas):
    f = line.split()
    assert int(f[0], 16) == int(a["start"], 16)
    shared_row = int(f[5 + nums.index("Shared_Clean")]) + int(f[5 + nums.index("Shared_Dirty")])
    for i, c in enumerate(nums):  # (two looks: the Pss of shared pages may move, as above)
        shared_max = max((a["shared_clean"] + a["shared_dirty"]) // 1024, shared_row) \
            if "Pss" in c else 0
        if c.split("_")[0] in ("Shared", "Private"):  # (pages shared with the tool, as above)
            t = c.split("_")[1]
            got = int(f[5 + nums.index("Shared_" + t)]) + int(f[5 + nums.index("Private_" + t)])
            assert got == (a["shared_" + t.lower()] + a["private_" + t.lower()]) // 1024, (c, got)
        else:
            assert abs(int(f[5 + i]) - mine(a, c)) <= shared_max, (c, f[5 + i], mine(a, c))
        sums[i] += int(f[5 + i])
for i, c in enumerate(nums):
    want = "-" if c in ("KernelPageSize", "MMUPageSize", "ProtectionKey") else str(sums[i])
    assert total[1 + i] == want, (c, total[1 + i], want)
assert total[-3:] == ["KiB,", str(len(areas)), "areas"], total[-3:]
PY
}

start_child c5 10000
many=$child
many_base=${ready#ready }
compare_pmap "$many"
rows=$(jq length "$work/x.json")
[ "$rows" -ge 10000 ] && ok || bad "the child has $rows areas, expected at least 10,000"
start_child c6 0
plain=$child
compare_pmap "$plain"
# a process that outlives the test however slow the machine (under TCG the build-ID checks
# below came after 100 s); cleanup ends it
sleep 100000 &
pids="$pids $!"
sleep=$!
sleep 0.2
compare_pmap "$sleep"
expect 0 --json areas -x "$many"
jq_ok --json areas -x

# ---- summary: the kinds add up to the total, and the total to the areas ----
# (a second look may see another Pss for a shared library: a few tries)
summed=no
for try in 1 2 3; do
    $tool --json summary "$many" >"$work/summary.json" && $tool --json areas -x "$many" >"$work/x.json" || bad "summary"
    python3 - "$work/summary.json" "$work/x.json" <<'PY' && summed=yes && break
import json, sys
s = json.load(open(sys.argv[1]))
areas = json.load(open(sys.argv[2]))
fields = ("areas", "size", "rss", "pss", "swap")
for f in fields:
    assert sum(k[f] for k in s["kinds"]) == s["total"][f], f
want = {"areas": len(areas), "size": sum(a["size"] for a in areas),
        "rss": sum(a["rss"] for a in areas), "pss": sum(a["pss"] for a in areas),
        "swap": sum(a["swap"] for a in areas)}
# The Pss of a page shared with other processes (the tool maps libc too, as do the tests run
# alongside) moves as they come and go: the two runs may differ by up to the shared part.
shared = sum(a["shared_clean"] + a["shared_dirty"] for a in areas)
assert all(s["total"][f] == want[f] for f in fields if f != "pss"), (s["total"], want)
assert abs(s["total"]["pss"] - want["pss"]) <= shared, (s["total"], want, shared)
anon = [k for k in s["kinds"] if k["kind"] in ("anon", "heap", "stack")]
assert all(k["pss"] == k["rss"] for k in anon), anon  # private memory: Pss is Rss
kinds = [k["kind"] for k in s["kinds"]]
assert len(set(kinds)) == len(kinds) and {"file", "anon", "stack"} <= set(kinds), kinds
PY
done
[ $summed = yes ] && ok || bad "summary totals do not match the areas"
expect 0 summary "$many"
head -n 1 "$work/out" | grep -q "^KIND *AREAS *SIZE KiB *RSS KiB *PSS KiB *SWAP KiB" && ok || bad "summary header: $(head -n 1 "$work/out")"
tail -n 1 "$work/out" | grep -q "^total" && ok || bad "summary ends with the total"
expect 0 --json summary self
jq_ok --json summary

# ---- --sort ----
for column in address size rss private_dirty Rss; do
    expect 0 --json --sort "$column" areas -x "$many"
    check "--sort $column orders the areas" python3 - "$work/out" "$column" <<'PY'
import json, sys
areas, col = json.load(open(sys.argv[1])), sys.argv[2].lower()
start = lambda a: int(a["start"], 16)
if col == "address":
    key = [start(a) for a in areas]
    assert key == sorted(key)
else:  # largest first, ties in address order
    key = [(-a[col], start(a)) for a in areas]
    assert key == sorted(key), col
    assert len(set(a[col] for a in areas)) > 1 or col == "swap", "all alike: no test"
PY
done
expect 0 --sort size areas "$many"
check "--sort size without -x: the table, largest first" python3 - "$work/out" <<'PY'
import sys
sizes = [int(l.split()[2].rstrip("K")) for l in open(sys.argv[1]).read().splitlines()[1:]]
assert sizes == sorted(sizes, reverse=True) and len(sizes) > 10000
PY
expect 2 --sort bogus areas
grep -q "rss" "$work/err" && ok || bad "a bad --sort names the columns"
expect 2 --sort size query 1000
grep -q "does not apply" "$work/err" && ok || bad "--sort with query is refused"

# ---- query --context N ----
$tool --json areas "$many" >"$work/all.json"
check "query --context N gives the N neighbours on each side" python3 - "$work/all.json" "$many" "$tool" <<'PY'
import json, subprocess, sys
areas, pid, tool = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3].split()
n = len(areas)
for k, ctx in ((0, 2), (1, 3), (n // 2, 5), (n // 2, 0), (n - 1, 4), (n - 2, 1)):
    addr = "%x" % (int(areas[k]["start"], 16) + 1)
    out = subprocess.run(tool + ["--json", "--context", str(ctx), "query", addr, pid],
                         check=True, capture_output=True).stdout
    got = json.loads(out)
    want = areas[max(0, k - ctx):k + ctx + 1]
    assert [a["start"] for a in got] == [a["start"] for a in want], (k, ctx)
    assert [a["holds"] for a in got] == [a is areas[k] for a in want], (k, ctx)
    text = subprocess.run(tool + ["--context", str(ctx), "query", addr, pid], check=True,
                          capture_output=True, text=True).stdout.splitlines()
    assert len(text) == 1 + len(want) and text[0].startswith("START"), text
    marked = [i for i, l in enumerate(text[1:]) if l.endswith("<- holds the address")]
    assert marked == ([want.index(areas[k])] if len(want) > 1 else []), (marked, k, ctx)
PY
expect 1 --json --context 2 query 0 "$many"
[ "$(cat "$work/out")" = null ] && ok || bad "query --context of no area prints null"
expect 2 --context -1 query 1000
expect 2 --context x query 1000
expect 2 --context 2 areas

# ---- --build-id: libc's, against readelf -n, by both paths ----
libc=$(awk '$6 ~ /\/libc[.-][^\/]*so/ { print $6; exit }' "/proc/$sleep/maps")
libc_id=$(readelf -n "$libc" | sed -n 's/.*Build ID: *\([0-9a-f]*\).*/\1/p')
[ -n "$libc_id" ] || bad "readelf -n $libc shows no build ID"
for text in "" --text; do
    expect 0 --json $text --build-id areas "$sleep"
    jq_ok --build-id $text
    got=$(jq -r --arg p "$libc" '[.[] | select(.path == $p) | .build_id] | unique | join(" ")' "$work/out")
    [ "$got" = "$libc_id" ] && ok || bad "--build-id $text of $libc: '$got', readelf says '$libc_id'"
    none=$(jq -r '[.[] | select(.kind != "file") | .build_id] | unique | map(tostring) | join(" ")' "$work/out")
    [ "$none" = null ] && ok || bad "areas without a file have build_id null: '$none'"
done
expect 0 --build-id areas "$sleep"
grep -F "$libc" "$work/out" | grep -q " $libc_id " && ok || bad "the table shows libc's build ID"
addr=$(awk -v p="$libc" '$6 == p { split($1, r, "-"); print r[1]; exit }' "/proc/$sleep/maps")
expect 0 --json --build-id query "$addr" "$sleep"
[ "$(jq -r .build_id "$work/out")" = "$libc_id" ] && ok || bad "query --build-id"
expect 0 --json --build-id areas -x "$sleep"
[ "$(jq -r --arg p "$libc" '[.[] | select(.path == $p)][0].build_id' "$work/out")" = "$libc_id" ] && ok || bad "areas -x --build-id"

# ---- diff: exactly the changes the scripted child made ----
start_child c7 0
script=$child
base=$(printf '%d' "0x${ready#ready }")
$tool --json areas -x "$script" >"$work/a.json" || bad "snapshot a"
$tool --json areas "$script" >"$work/a-plain.json" || bad "snapshot a (plain)"
tell 7 change
$tool --json areas -x "$script" >"$work/b.json" || bad "snapshot b"
$tool --json areas "$script" >"$work/b-plain.json" || bad "snapshot b (plain)"
page=$(getconf PAGESIZE)
expect 0 --json diff "$work/a.json" "$work/b.json"
jq_ok --json diff
cp "$work/out" "$work/diff.json"
check "diff names exactly the scripted changes" python3 - "$work/diff.json" "$base" "$page" <<'PY'
import json, sys
d, base, page = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
at = lambda n: "0x%x" % (base + n * page)
want = {("removed", at(0), at(4), "rw-p"), ("resized", at(8), at(12), "rw-p"),
        ("resized", at(16), at(18), "r--p"), ("protection", at(24), at(28), "r--p"),
        ("added", at(32), at(35), "r-xp")}
got = {(c["change"], c["start"], c["end"], c["perms"]) for c in d if c["change"] != "rss"}
assert got == want, (sorted(got - want), sorted(want - got))
by = {(c["change"], c["start"]): c for c in d}
assert by[("resized", at(8))]["old_end"] == at(10) and by[("resized", at(8))]["old_start"] == at(8)
assert by[("resized", at(16))]["old_end"] == at(20)
assert by[("protection", at(24))]["old_perms"] == "rw-p"
u = by.get(("rss", at(40)))
assert u and u["old_rss"] == 0 and u["rss"] == 4 * page, u
# the other Rss changes, if any, are of areas outside the script (the stack, a library)
for c in d:
    if c["change"] == "rss" and base <= int(c["start"], 16) < base + 64 * page:
        assert c["start"] == at(40), c
PY
expect 0 diff "$work/a.json" "$work/b.json"
for kind in removed resized protection added rss; do
    n=$(grep -c "^$kind " "$work/out")
    w=1
    [ $kind = resized ] && w=2
    [ $kind = rss ] && [ "$n" -ge 1 ] && n=1
    [ "$n" = "$w" ] && ok || bad "diff table: $n '$kind' lines, expected $w"
done
expect 0 --json diff "$work/a-plain.json" "$work/b-plain.json"
[ "$(jq '[.[] | select(.change == "rss")] | length' "$work/out")" = 0 ] && ok || bad "no Rss changes without -x"
[ "$(jq 'length' "$work/out")" = 5 ] && ok || bad "diff of plain snapshots: five changes"
expect 0 --json diff "$work/a.json" "$work/a.json"
[ "$(cat "$work/out")" = "[]" ] && ok || bad "a snapshot against itself: no change"
# a snapshot from standard input
$tool --json diff - "$work/b.json" <"$work/a.json" >"$work/out" 2>"$work/err" && ok || bad "diff - B"
cmp -s "$work/out" "$work/diff.json" && ok || bad "diff - B reads A from standard input"

# ---- diff of files that are not snapshots: exit status 3 and where ----
bad_json() { # bad_json NAME CONTENT MESSAGE
    printf '%s' "$2" >"$work/$1.json"
    expect 3 diff "$work/$1.json" "$work/b.json"
    grep -q -- "$3" "$work/err" && ok || { bad "diff of $1: stderr lacks '$3'"; cat "$work/err" >&2; }
}
head -c 3000 "$work/a.json" >"$work/cut.json"
expect 3 diff "$work/cut.json" "$work/b.json"
grep -q "cut.json: line" "$work/err" && ok || bad "a cut snapshot names the line"
bad_json empty '' "expected an array"
bad_json object '{"start": "0x1000"}' "not a snapshot"
bad_json number '[1]' "an area: an object"
bad_json trailing '[] x' "more after the end"
bad_json comma '[{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "path": ""},]' "member name\|object"
bad_json utf8 "$(printf '[{"path": "\377"}]')" "not UTF-8"
bad_json surrogate '[{"path": "\ud800"}]' "surrogate"
bad_json control "$(printf '[{"path": "a\tb"}]')" "control character"
bad_json deep "$(python3 -c 'print("[" * 100000 + "]" * 100000)')" "an area: an object"
bad_json nested "$(python3 -c 'print("[{\"x\": " + "[" * 100 + "]" * 100 + "}]")')" "nested more than"
bad_json missing '[{"start": "0x1000", "end": "0x2000"}]' "without"
bad_json order '[{"start": "0x2000", "end": "0x1000", "perms": "rw-p", "path": ""}]' "do not agree"
bad_json size '[{"start": "0x1000", "end": "0x2000", "size": 1.5, "perms": "rw-p", "path": ""}]' "whole number"
bad_json big '[{"start": "0x1000", "end": "0x2000", "inode": 18446744073709551616, "perms": "rw-p", "path": ""}]' "out of range"
bad_json perms '[{"start": "0x1000", "end": "0x2000", "perms": "rwxq", "path": ""}]' "perms"
bad_json addr '[{"start": "4096", "end": "0x2000", "perms": "rw-p", "path": ""}]' "address"
bad_json nul '[{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "path": "a\u0000b"}]' "NUL"
bad_json overlap '[{"start": "0x1000", "end": "0x3000", "perms": "rw-p", "path": ""}, {"start": "0x2000", "end": "0x4000", "perms": "rw-p", "path": ""}]' "overlap"
bad_json dup '[{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "path": "", "kind": "nonsense"}]' "unknown kind"
expect 3 diff "$work/no-such-file.json" "$work/b.json"
grep -q "No such file" "$work/err" && ok || bad "a missing snapshot file"
expect 3 diff "$work" "$work/b.json"
# a snapshot with fields of a later version, and a name that is not UTF-8 (path_hex), reads
printf '[{"start": "0x1000", "end": "0x2000", "perms": "r--p", "path": "a\\ufffd", "path_hex": "61ff", "future": {"x": [1, 2.5e3, null, true]}}]' >"$work/later.json"
printf '[{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "path": "a\\ufffd", "path_hex": "61ff"}]' >"$work/later2.json"
expect 0 --json diff "$work/later.json" "$work/later2.json"
[ "$(jq -r '.[0].change + " " + .[0].path_hex' "$work/out")" = "protection 61ff" ] && ok || bad "diff keeps a name that is not UTF-8: $(cat "$work/out")"
# a member name holding a NUL byte is not the name before it: passed over as a later version's
printf '[{"start": "0x1000", "end": "0x2000", "perms": "r--p", "path": "a", "path\\u0000": "b"}]' >"$work/nulkey.json"
printf '[{"start": "0x1000", "end": "0x2000", "perms": "r--p", "path": "a"}]' >"$work/nulkey2.json"
expect 0 --json diff "$work/nulkey.json" "$work/nulkey2.json"
[ "$(jq 'length' "$work/out")" = 0 ] && ok || bad "a name with a NUL byte is another member: $(cat "$work/out")"
expect 2 diff "$work/a.json"
expect 2 diff "$work/a.json" "$work/b.json" extra

# ---- watch: the same changes as they happen ----
start_child c8 0
watched=$child
base=$(printf '%d' "0x${ready#ready }")
$tool --json watch "$watched" --interval 0.2 --count 8 >"$work/watch.json" 2>"$work/watch.err" &
watcher=$!
sleep 0.7
tell 8 change
wait $watcher
got=$?
[ "$got" = 0 ] && ok || { bad "watch --count 8 exited $got"; cat "$work/watch.err" >&2; }
check "watch prints the scripted changes, one JSON object a line" python3 - "$work/watch.json" "$base" "$page" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
base, page = int(sys.argv[2]), int(sys.argv[3])
d = [json.loads(l) for l in lines]
at = lambda n: "0x%x" % (base + n * page)
got = {(c["change"], c["start"], c["end"]) for c in d if c["change"] != "rss"}
assert got == {("removed", at(0), at(4)), ("resized", at(8), at(12)), ("resized", at(16), at(18)),
               ("protection", at(24), at(28)), ("added", at(32), at(35))}, got
# each change is one system call of the child's: a look may fall between two of them (a slow
# machine, an emulated one), so they come in one look or more, in the order of the looks
times = [c["time"] for c in d]
assert times[0] > 0 and times == sorted(times), times
assert any(c["change"] == "rss" and c["start"] == at(40) for c in d)
PY
start_child c9 churn
churn=$child
expect 0 watch "$churn" --interval 0.1 --count 3
n=$(grep -c " rss " "$work/out")
[ "$n" -ge 3 ] && ok || bad "watch of a churning child: $n Rss lines in 3 looks"
grep -q "^ *[0-9.]*s rss " "$work/out" && ok || bad "watch lines start with the time: $(head -n 1 "$work/out")"
# the process ends: watch ends, status 1, says so
$tool watch "$plain" --interval 0.1 >"$work/out" 2>"$work/err" &
watcher=$!
sleep 0.3
echo exit >&6
wait $watcher
got=$?
[ "$got" = 1 ] && ok || bad "watch of a process that ends exited $got, expected 1"
grep -q "no such process" "$work/err" && ok || bad "watch says the process ended: $(cat "$work/err")"
expect 2 watch
expect 2 watch "$churn" --interval 0
expect 2 watch "$churn" --count 0
expect 2 --interval 1 areas

# ---- write errors: a full device and a closed stdout are exit status 3, for every command
# that prints (watch of a churning child prints at every look) ----
addr=$many_base
for cmd in "areas -x $many" "--json areas -x $many" "summary $many" "--json summary $many" \
    "--sort rss areas -x $many" "--sort size areas $many" "--build-id areas $sleep" \
    "--context 3 query $addr $many" "--json --context 3 query $addr $many" "-x query $addr $many" \
    "diff $work/a.json $work/b.json" "--json diff $work/a.json $work/b.json" \
    "watch $churn --interval 0.1 --count 2" "--json watch $churn --interval 0.1 --count 2" \
    "watch $churn --interval 0.1"; do
    # shellcheck disable=SC2086 # the words of the command
    timeout 20 $tool $cmd >/dev/full 2>"$work/err"
    got=$?
    [ "$got" -eq 3 ] && ok || bad "mmapc $cmd >/dev/full exited $got, expected 3"
    grep -q "write error" "$work/err" && ok || bad "mmapc $cmd >/dev/full: no 'write error'"
    # shellcheck disable=SC2086
    timeout 20 $tool $cmd >&- 2>"$work/err"
    got=$?
    [ "$got" -eq 3 ] && ok || bad "mmapc $cmd >&- exited $got, expected 3"
    grep -q "write error" "$work/err" && ok || bad "mmapc $cmd >&-: no 'write error'"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
