#!/bin/sh
# SPDX-License-Identifier: MIT
# `mmapc report` in a real browser: Debian's chromium, headless, loads the pages the tool writes
# (of a snapshot, of a live process, of 20,000 areas, of a diff) and the DOM it leaves after the
# page's script ran is checked against the tool's JSON for the same snapshot, figure by figure
# (report_check.py); its net log shows no request made by the page (a control page's requests
# show, so the check can fail); screenshots are kept in OUTDIR. The SVG picture is rendered by
# rsvg-convert. Then the command line: usage errors, files that are not snapshots, write errors.
# Usage: test_tool_report.sh PATH/TO/tool_child OUTDIR [EMULATOR ARGS...] PATH/TO/mmapc
set -u
[ $# -ge 3 ] || { echo "usage: test_tool_report.sh tool_child OUTDIR [EMULATOR...] mmapc" >&2; exit 2; }
child_bin=$1
outdir=$2
shift 2
tool="$*"
here=$(cd "$(dirname "$0")" && pwd)
check_py="$here/report_check.py"
chromium=$(command -v chromium || command -v chromium-browser) ||
    { echo "chromium is needed (apt-get install chromium)"; exit 1; }
command -v rsvg-convert >/dev/null 2>&1 || { echo "rsvg-convert is needed (apt-get install librsvg2-bin)"; exit 1; }
for need in python3 jq; do
    command -v $need >/dev/null 2>&1 || { echo "$need is needed"; exit 1; }
done
mkdir -p "$outdir" || exit 1
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
check() { # check DESCRIPTION COMMAND...: the command succeeds (its output shown)
    what=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then ok; cat "$work/check.out"; else bad "$what"; cat "$work/check.out" >&2; fi
}
# expect STATUS ARGS...: run the tool, stdout in $work/out, stderr in $work/err
expect() {
    want=$1
    shift
    $tool "$@" >"$work/out" 2>"$work/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "mmapc $* exited $got, expected $want"; cat "$work/err" >&2; fi
}

# browse NAME URL [ARGS...]: chromium's DOM of the page after its script ran, in $work/NAME.dom,
# its net log in $work/NAME.netlog. Every host name leads to a port where nothing listens, and
# the browser's own background traffic is turned off; what it still asks on its own has no page
# as its initiator, and report_check.py tells the two apart.
browse() {
    name=$1 url=$2
    shift 2
    # (a profile of its own each time: nothing kept from one page to the next)
    timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$work/profile-$name" \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-extensions \
        --host-resolver-rules="MAP * 127.0.0.1:9" --proxy-server="http://127.0.0.1:9" \
        --log-net-log="$work/$name.netlog" "$@" "$url" >"$work/$name.dom" 2>"$work/$name.chromium.err"
}
dom() { # dom NAME URL: browse with --dump-dom; the DOM must be a page's
    browse "$1" "$2" --dump-dom
    if grep -q '<table id="areas"' "$work/$1.dom"; then ok; else bad "chromium gave no DOM for $2"; tail -n 5 "$work/$1.chromium.err" >&2; fi
}
shot() { # shot NAME URL FILE: a screenshot of the page
    rm -f "$3"
    browse "$1" "$2" --screenshot="$3" --window-size=1300,2200 --hide-scrollbars
    if [ -s "$3" ] && [ "$(head -c 4 "$3" | od -An -c | tr -d ' ')" = "211PNG" ]; then ok; else bad "no screenshot of $2"; fi
}

# start_child NAME ARGS...: a tool_child reading commands from the fifo $work/NAME.in; its pid
# in $child
start_child() {
    name=$1
    shift
    mkfifo "$work/$name.in"
    "$child_bin" "$@" <"$work/$name.in" >"$work/$name.out" 2>&1 &
    child=$!
    pids="$pids $child"
    eval "exec ${name#c}>\"\$work/\$name.in\""
    for _ in $(seq 300); do grep -q ready "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
    grep -q ready "$work/$name.out" || { bad "tool_child $* did not start"; exit 1; }
}
tell() { # tell DESCRIPTOR WORD: a command to a child, then wait for its "ok"
    n=$(grep -c '^ok' "$work/c$1.out")
    echo "$2" >&"$1"
    for _ in $(seq 100); do [ "$(grep -c '^ok' "$work/c$1.out")" -gt "$n" ] && return 0; sleep 0.05; done
    bad "tool_child did not answer $2"
}

# ---- a snapshot of a child: every figure on the page equals the snapshot's ----
start_child c5 0
small=$child
$tool --json --build-id areas -x "$small" >"$work/snap.json" || bad "snapshot"
expect 0 report "$work/snap.json" -o "$work/snap.html"
[ ! -s "$work/out" ] && ok || bad "report -o FILE printed to standard output"
check "the page holds nothing that fetches, and a strict policy" python3 "$check_py" static "$work/snap.html"
dom snap "file://$work/snap.html"
check "every figure of the page of a snapshot equals the tool's JSON" python3 "$check_py" page "$work/snap.json" "$work/snap.dom"
check "the page of a snapshot makes no request" python3 "$check_py" netlog "$work/snap.netlog"
# the control: a page that asks for an image and a fetch, without a policy; the net log shows
# them, so the check above can fail
printf '<!DOCTYPE html><html><body><img src="http://mmapc-probe.invalid/x.png"><script>fetch("https://mmapc-probe.invalid/y")</script></body></html>' >"$work/control.html"
browse control "file://$work/control.html" --dump-dom
check "the net log shows a page's requests (the control)" python3 "$check_py" netlog "$work/control.netlog" requests

# ---- a live process: identity, and the totals against smaps_rollup ----
expect 0 report "$small" -o "$work/live.html"
dom live "file://$work/live.html"
check "the page of a process: identity and smaps_rollup" python3 "$check_py" live "$work/live.dom" "$small"
check "the page of a process makes no request" python3 "$check_py" netlog "$work/live.netlog"
shot live "file://$work/live.html" "$outdir/report-process.png"
# the page of the tool itself, written to standard output
expect 0 report
grep -q '<dd id="id-pid">self</dd>' "$work/out" && ok || bad "report of self"

# ---- the picture alone: an SVG that rsvg-convert renders ----
for what in "$small" "$work/snap.json"; do
    expect 0 report --svg "$what" -o "$work/map.svg"
    if rsvg-convert "$work/map.svg" -o "$work/map.png" 2>"$work/rsvg.err" && [ -s "$work/map.png" ]; then ok; else bad "rsvg-convert of report --svg $what: $(cat "$work/rsvg.err")"; fi
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$work/map.svg" 2>"$work/xml.err" && ok || bad "report --svg is not XML: $(head -n 3 "$work/xml.err")"
    fi
done
cp "$work/map.png" "$outdir/report-svg.png"
n=$(grep -c 'class="seg"' "$work/map.svg")
m=$(jq length "$work/snap.json")
[ "$n" -ge 1 ] && [ "$n" -le "$m" ] && ok || bad "report --svg: $n parts for $m areas"

# ---- 20,000 areas: the document stays small, later pages and sorts show later areas ----
start_child c6 20000
big=$child
$tool --json areas -x "$big" >"$work/big.json" || bad "snapshot of 20,000 areas"
expect 0 report "$work/big.json" -o "$work/big.html"
n=$(jq length "$work/big.json")
[ "$n" -ge 20000 ] && ok || bad "the child has $n areas, expected 20,000 at least"
dom big "file://$work/big.html"
check "the page of $n areas keeps a small document" python3 "$check_py" small "$work/big.dom"
check "the first page of $n areas" python3 "$check_py" rows "$work/big.dom" "$work/big.json" 1
dom big150 "file://$work/big.html#page=150"
check "page 150 shows areas 14,900 to 14,999" python3 "$check_py" rows "$work/big150.dom" "$work/big.json" 150
dom bigrss "file://$work/big.html#sort=Rss&page=3"
check "sorted by Rss, page 3" python3 "$check_py" rows "$work/bigrss.dom" "$work/big.json" 3 rss
check "the page of $n areas makes no request" python3 "$check_py" netlog "$work/big.netlog"
shot big "file://$work/big.html#page=150" "$outdir/report-20000-areas.png"

# ---- --diff: what grew, shrank, appeared and vanished, against mmapc --json diff ----
start_child c7 0
changing=$child
$tool --json areas -x "$changing" >"$work/a.json" || bad "snapshot a"
tell 7 change
$tool --json areas -x "$changing" >"$work/b.json" || bad "snapshot b"
$tool --json diff "$work/a.json" "$work/b.json" >"$work/diff.json" || bad "mmapc --json diff"
expect 0 report --diff "$work/a.json" "$work/b.json" -o "$work/diff.html"
dom diff "file://$work/diff.html"
check "the page of a diff shows the changes of mmapc --json diff, and both pictures" python3 "$check_py" diff "$work/diff.dom" "$work/diff.json" "$work/a.json" "$work/b.json"
check "the page of a diff makes no request" python3 "$check_py" netlog "$work/diff.netlog"
check "the page of a diff holds nothing that fetches" python3 "$check_py" static "$work/diff.html"
shot diffshot "file://$work/diff.html" "$outdir/report-diff.png"

# ---- hostile names and figures ----
# files whose names hold markup, quotes, a newline, characters XML forbids (U+FFFE, U+FFFF) and a
# byte that is not UTF-8, mapped by a live process: the page shows every row (its script ran,
# so its policy's hash held) and the SVG is XML that rsvg-convert renders
if command -v python3 >/dev/null 2>&1; then
    mkdir -p "$work/evil"
    python3 - "$work/evil" >"$work/evil.out" 2>&1 <<'PY' &
import mmap, os, sys, time
d = sys.argv[1].encode()
os.mkdir(d + b'/<')  # a name holding "</script>"
names = [b'a<b>&c"d\'e', b'</script><script>x=1<', b'<!--<script>', b'x\ny\tz', b'\\u003c!--', b'\xef\xbf\xbe\xef\xbf\xbf', b'bad\xff\xfe', b'L' * 200]
keep = []
for n in names:
    fd = os.open(d + b'/' + n, os.O_RDWR | os.O_CREAT, 0o600)
    os.write(fd, b'x' * 4096)
    keep.append(mmap.mmap(fd, 4096))
print("ready", flush=True)
time.sleep(120)
PY
    evil=$!
    pids="$pids $evil"
    for _ in $(seq 100); do grep -q ready "$work/evil.out" && break; sleep 0.1; done
    $tool --json areas -x "$evil" >"$work/evil.json" || bad "snapshot of hostile names"
    for what in "$evil" "$work/evil.json"; do
        expect 0 report --svg "$what" -o "$work/evil.svg"
        rsvg-convert "$work/evil.svg" -o "$work/evil.png" 2>"$work/rsvg.err" && ok || bad "rsvg-convert of hostile names ($what): $(head -n 2 "$work/rsvg.err")"
        expect 0 report "$what" -o "$work/evil.html"
        dom evil "file://$work/evil.html"
        n=$(jq length "$work/evil.json")
        grep -q "rows-shown\">rows 1-[0-9]* of $n<" "$work/evil.dom" && ok || bad "the page of hostile names ($what) shows no rows"
        [ "$(grep -c '<script' "$work/evil.dom")" -eq 2 ] && ok || bad "a name made a script element ($what)"
        # the name with a newline and a tab, found by the filter (the address's %0A), shows them
        # as \012 and \011 in the table, as the tool's tables and the picture do
        dom evilnl "file://$work/evil.html#filter=x%0Ay"
        grep -q 'rows-shown">rows 1-1 of 1 (of ' "$work/evilnl.dom" && ok || bad "the filter x\\ny found not one row ($what)"
        grep -qF '/evil/x\012y\011z</td>' "$work/evilnl.dom" && ok || bad "the table shows a control character in a name raw ($what)"
    done
    kill "$evil" 2>/dev/null
fi
# a bad address (a % that begins no escape) starts on the first page, the table still drawn
dom badhash "file://$work/snap.html#page=%E0%A4%A&sort=nonexistent"
grep -q 'rows-shown">rows 1-' "$work/badhash.dom" && ok || bad "an address with a bad escape left the table empty"
# figures larger than the area (whose sums would wrap around) are no snapshot
jq '[.[0], .[1]] | .[0].rss = 9223372036854775808 | .[1].rss = 9223372036854775808' "$work/snap.json" >"$work/wrap.json"
expect 3 report "$work/wrap.json" -o "$work/wrap.html"
[ ! -e "$work/wrap.html" ] && ok || bad "a report of figures larger than their areas was written"
# an area of 2^62 bytes all resident: its bar is the longest (400 pixels), Rss * 400 overflowing
python3 -c '
import json
print(json.dumps([{"start": "0x1000", "end": "0x2000", "perms": "rw-p", "path": "/small", "rss": 4096, "pss": 4096},
                  {"start": hex(1 << 62), "end": hex(1 << 63), "perms": "rw-p", "path": "/huge", "rss": 1 << 62, "pss": 1 << 62}]))' >"$work/huge.json"
expect 0 report "$work/huge.json"
grep -q '<rect x="420" y="4" width="400"' "$work/out" && ok || bad "the bar of an area of 2^62 bytes: $(grep -o '<rect x="420" y="4" width="[0-9]*"' "$work/out")"
# numbers past 2^53 (an inode of overlayfs has its high bits set), which JavaScript's numbers do
# not hold exactly: the table shows the tool's digits
python3 -c '
import json
print(json.dumps([{"start": "0x1000", "end": "0x2000", "perms": "r--p", "path": "/overlay/file", "inode": (1 << 63) + 5, "rss": 4096},
                  {"start": "0x3000", "end": "0x4000", "perms": "r--p", "path": "/overlay/other", "inode": 7, "rss": 4096}]))' >"$work/inode.json"
expect 0 report "$work/inode.json" -o "$work/inode.html"
dom inode "file://$work/inode.html#sort=Inode"
grep -q '<tr data-row="0">.*<td class="n">9223372036854775813</td>' "$work/inode.dom" && ok || bad "an inode past 2^53 (first when sorted): $(grep -o '<td class="n">9[0-9]*</td>' "$work/inode.dom")"
# 20,000 areas 2 GiB apart: the picture still has many parts, their sizes adding up
python3 -c '
import json
print(json.dumps([{"start": hex((3 * i + 1) << 30), "end": hex(((3 * i + 1) << 30) + 4096), "perms": "rw-p", "path": ""} for i in range(20000)]))' >"$work/far.json"
expect 0 report --svg "$work/far.json" -o "$work/far.svg"
n=$(grep -c 'class="seg"' "$work/far.svg")
[ "$n" -ge 1000 ] && [ "$n" -le 1500 ] && ok || bad "20,000 areas 2 GiB apart drawn as $n parts"
sum=$(grep -o '[0-9]* KiB mapped\|rw-p [0-9]* KiB' "$work/far.svg" | grep -o '[0-9]* KiB' | awk '{s += $1} END {print s}')
[ "$sum" = 80000 ] && ok || bad "the parts of 20,000 areas of 4 KiB add up to $sum KiB"
# a write that fails midway (a file size limit) leaves no file
(trap '' XFSZ; ulimit -f 8; $tool report "$work/snap.json" -o "$work/cut.html" 2>"$work/err"; echo $? >"$work/rc")
[ "$(cat "$work/rc")" = 3 ] && ok || bad "report past the file size limit exited $(cat "$work/rc")"
[ ! -e "$work/cut.html" ] && ok || bad "a report whose write failed left its file"
grep -q 'write error: .*[Ff]ile' "$work/err" && ok || bad "the write error does not say why: $(cat "$work/err")"

# ---- the command line ----
expect 2 --json report
grep -q "not JSON" "$work/err" && ok || bad "report --json is refused"
expect 2 report 1 2
expect 2 report -5
expect 2 report --diff "$work/a.json"
expect 2 report --diff --svg "$work/a.json" "$work/b.json"
expect 2 -o "$work/x.html" areas
expect 2 --svg summary
expect 2 report -o
expect 3 report "$work/no-such.json" -o "$work/none.html"
[ ! -e "$work/none.html" ] && ok || bad "a failed report wrote its file"
printf '[{"start": "0x1000"' >"$work/cut.json"
expect 3 report "$work/cut.json"
[ ! -s "$work/out" ] && ok || bad "a failed report printed something"
expect 1 report 2147483647
expect 3 report "$small" -o "$work/no-such-dir/x.html"
expect 3 report "$small" -o /dev/full
grep -q "write error" "$work/err" && ok || bad "report -o /dev/full: no write error"
$tool report "$small" >/dev/full 2>"$work/err"
[ $? = 3 ] && grep -q "write error" "$work/err" && ok || bad "report >/dev/full: not a write error"
# a snapshot from standard input
$tool report - <"$work/snap.json" >"$work/stdin.html" 2>"$work/err" && grep -q '<dd id="id-source">snapshot -</dd>' "$work/stdin.html" && ok || bad "report - reads standard input"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
