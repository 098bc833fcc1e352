#!/bin/sh
# SPDX-License-Identifier: MIT
# The instruction budgets: user-space instructions per operation, counted by callgrind, which
# do not move from run to run as times do. For each row of bench/icount.budgets the driver
# (icount.c) runs the mmapc call and its raw twin 1000 times each under
# `valgrind --tool=callgrind --toggle-collect=icount_run`; the loop's own instructions (the
# empty operation's count) come off both. A row whose mmapc count exceeds its raw twin's by more
# than its ceiling fails the run; one above its goal (but within the ceiling) is printed so.
# usage: bench/icount.sh BUILD_DIR   (writes BUILD_DIR/results/icount.md; ICOUNT_BUDGETS=FILE
# reads the budgets from FILE instead)
set -eu
build=$1
here=$(dirname "$0")
driver=$build/bench/mmapc_icount
out=$build/results
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=1000

# count ROW: the instructions of the driver's loop over ROW, in total
count() {
    f=$tmp/$1.out
    if ! valgrind --tool=callgrind --toggle-collect=icount_run --callgrind-out-file="$f" \
        "$driver" "$1" "$tmp" >"$tmp/$1.log" 2>&1; then
        if grep -q 'no PROCMAP_QUERY' "$tmp/$1.log"; then
            echo none
            return
        fi
        cat "$tmp/$1.log" >&2
        echo "icount: row $1 failed" >&2
        exit 1
    fi
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f"
}

loop=$(count split-merge-raw) # the empty operation: the loop and the call
failed=0
{
    echo "| operation | mmapc | raw | beyond raw | goal | ceiling | |"
    echo "|---|---:|---:|---:|---:|---:|---|"
} >"$out/icount.md"
printf '%-22s %8s %8s %11s %7s %8s\n' operation mmapc raw "beyond raw" goal ceiling
over=0
while read -r row budget goal what; do
    case $row in '#'* | '') continue ;; esac
    m=$(count "$row-mmapc")
    r=$(count "$row-raw")
    if [ "$m" = none ] || [ "$r" = none ]; then
        # the kernel cannot answer the query directly: the row does not exist here, and says so
        printf '%-22s %s\n' "$row" "not counted: this kernel has no PROCMAP_QUERY (Linux 6.11+)"
        echo "| $what | - | - | - | $goal | $budget | kernel without PROCMAP_QUERY |" >>"$out/icount.md"
        continue
    fi
    # per operation, one decimal, the loop's share taken off
    pm=$(awk -v t="$m" -v l="$loop" -v n=$n 'BEGIN { printf "%.1f", (t - l) / n }')
    pr=$(awk -v t="$r" -v l="$loop" -v n=$n 'BEGIN { printf "%.1f", (t - l) / n }')
    d=$(awk -v a="$pm" -v b="$pr" 'BEGIN { printf "%.1f", a - b }')
    verdict=met
    if awk -v d="$d" -v b="$budget" 'BEGIN { exit !(d > b) }'; then
        verdict="OVER CEILING"
        failed=$((failed + 1))
    elif awk -v d="$d" -v g="$goal" 'BEGIN { exit !(d > g) }'; then
        verdict="over goal"
        over=$((over + 1))
    fi
    printf '%-22s %8s %8s %11s %7s %8s %s\n' "$row" "$pm" "$pr" "$d" "$goal" "$budget" "$verdict"
    echo "| $what | $pm | $pr | $d | $goal | $budget | $verdict |" >>"$out/icount.md"
done <"${ICOUNT_BUDGETS:-$here/icount.budgets}"
echo "wrote $out/icount.md"
if [ "$failed" -ne 0 ]; then
    echo "$failed row(s) over their ceiling"
    exit 1
fi
echo "every row within its ceiling; $over over its goal"
