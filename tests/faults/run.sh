#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The fault sweep: run the fault driver once per failure point of every function class.
#
#   tests/faults/run.sh BUILD_DIR [BUDGET_SECONDS]
#
# BUILD_DIR holds a build with tests/faults/fault_driver (make test-faults makes one with the
# asan-ubsan preset's flags). A first run with nothing armed counts the calls the library makes
# in each class (the failure points); then, for each class C and N = 1, 2, 3, ..., the driver
# runs with the Nth call of C failed, until a run completes with no failure injected. Each run
# must exit 0: its checks hold (documented code, nothing changed by a failed call, objects still
# usable), no crash, no sanitizer report, no leak. read and ioctl get a second pass failed with
# EINTR, which the library must retry.
#
# BUDGET_SECONDS (default: none) bounds the time: when the runs would take longer, every Kth
# point of each class is run (K the smallest stride that fits, from the baseline run's time),
# from an offset that changes with the day, plus each class's first and last point, so
# successive runs cover other points; runs are made in order of N across the classes, and
# those still to make when the budget is spent are skipped (and counted).
# The counts go to BUILD_DIR/faults-counts.txt; a class with fewer points than in the previous
# run is reported as lost coverage. Failing runs leave their output in BUILD_DIR/faults-logs/.
set -uo pipefail

build=${1:?usage: run.sh BUILD_DIR [BUDGET_SECONDS]}
budget=${2:-0}
driver=$build/tests/faults/fault_driver
uncovered=$build/tests/faults/uncovered.txt
[ -x "$driver" ] || { echo "run.sh: no $driver (build the fault_driver target)"; exit 2; }
logs=$build/faults-logs
counts_file=$build/faults-counts.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$logs"
mkdir -p "$logs"
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0

if [ -s "$uncovered" ]; then
    echo "NOT COVERED: libmmapc calls C library functions that tests/faults/calls.txt does not list:"
    sed 's/^/  /' "$uncovered"
    status=1
fi

# run_one CLASS N ERRNO: one driver run; prints "CLASS N ERRNO injected|none pass|FAIL FUNCTION"
# (FUNCTION: the wrapped function that failed, "-" for none).
run_one() {
    local cls=$1 n=$2 err=$3 tag=$1-$2-$3
    if [ "$deadline" -gt 0 ] && [ "$(date +%s)" -ge "$deadline" ]; then
        echo "$cls $n $err skipped - -" # past the time budget
        return
    fi
    local report=$work/$tag.report out=$work/$tag.out
    MMAPC_FAULT_CLASS=$cls MMAPC_FAULT_N=$n MMAPC_FAULT_ERRNO=${err#-} \
        MMAPC_FAULT_REPORT=$report timeout 120 "$driver" >"$out" 2>&1
    local rc=$? inj=none
    local fn
    fn=$(awk '/^injected [a-z]+ [A-Z]/ { print $4 }' "$report" 2>/dev/null)
    [ -n "$fn" ] && inj=injected
    if [ "$rc" -ne 0 ] || [ ! -s "$report" ]; then
        {
            echo "MMAPC_FAULT_CLASS=$cls MMAPC_FAULT_N=$n MMAPC_FAULT_ERRNO=${err#-} $driver: exit $rc"
            cat "$report" 2>/dev/null
            cat "$out"
        } >"$logs/$tag.log"
        echo "$cls $n $err $inj FAIL ${fn:--}"
    else
        echo "$cls $n $err $inj pass ${fn:--}"
    fi
}
export -f run_one
export driver work logs deadline

# the baseline: nothing failed, every check holds, and the calls of each class
start=$SECONDS
deadline=0
[ "$budget" -gt 0 ] && deadline=$(($(date +%s) + budget))
t0=$(date +%s%N)
MMAPC_FAULT_REPORT=$work/base.report "$driver" >"$work/base.out" 2>&1
base_rc=$?
base_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$base_rc" -ne 0 ] || [ ! -s "$work/base.report" ]; then
    echo "the driver fails with no failure injected:"
    cat "$work/base.out"
    exit 1
fi
if grep -q '^unclassified' "$work/base.report"; then
    echo "NOT COVERED: $(grep '^unclassified' "$work/base.report") (add it to syscall_class in interpose.c)"
    status=1
fi
declare -A calls
classes=()
while read -r _ cls n; do
    calls[$cls]=$n
    classes+=("$cls")
done < <(grep '^calls ' "$work/base.report")

# the passes: CLASS ERRNO ("-": the class's own); read and ioctl again with EINTR
passes=()
for cls in "${classes[@]}"; do
    passes+=("$cls -")
    case $cls in read | ioctl) passes+=("$cls EINTR") ;; esac
done

# how many runs fit in the budget (one run takes about as long as the baseline, at least 1/10 s)
total=0
for p in "${passes[@]}"; do total=$((total + calls[${p%% *}])); done
stride=1
if [ "$budget" -gt 0 ]; then
    per_run_ms=$((base_ms < 20 ? 20 : base_ms))
    need_ms=$((total * per_run_ms / jobs))
    if [ "$need_ms" -gt $((budget * 1000)) ]; then
        stride=$(( (need_ms + budget * 1000 - 1) / (budget * 1000) ))
    fi
fi
offset=0
[ "$stride" -gt 1 ] && offset=$(( $(date +%j | sed 's/^0*//') % stride ))

# the points of each pass: every one, or the sampled ones, plus the one after the last (which
# must inject nothing)
: >"$work/plan"
for p in "${passes[@]}"; do
    cls=${p%% *} err=${p#* }
    last=${calls[$cls]}
    for ((n = 1; n <= last + 1; n++)); do
        if [ "$stride" -eq 1 ] || [ "$n" -eq 1 ] || [ "$n" -ge "$last" ] ||
            [ $((n % stride)) -eq "$offset" ]; then
            echo "$cls $n $err" >>"$work/plan"
        fi
    done
done
# by N first, so that a run cut short by the budget still covers every class
sort -k2,2n -k1,1 "$work/plan" | xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1" "$2"' \
    >"$work/results"

# a pass whose last planned run still injected a failure made more calls than the baseline:
# go on, one point at a time, until a run injects nothing
for p in "${passes[@]}"; do
    cls=${p%% *} err=${p#* }
    n=$(awk -v c="$cls" -v e="$err" '$1 == c && $3 == e { if ($2 > m) m = $2 } END { print m + 0 }' \
        "$work/results")
    while grep -q "^$cls $n $err injected" "$work/results" && [ "$n" -lt 100000 ] &&
        { [ "$deadline" -eq 0 ] || [ "$(date +%s)" -lt "$deadline" ]; }; do
        n=$((n + 1))
        run_one "$cls" "$n" "$err" >>"$work/results"
    done
done

# the table
skipped=$(awk '$4 == "skipped"' "$work/results" | wc -l)
printf '%-10s %-7s %7s %10s %9s\n' class errno points exercised failures
declare -A now
found=0
for p in "${passes[@]}"; do
    cls=${p%% *} err=${p#* }
    points=$(awk -v c="$cls" -v e="$err" '$1 == c && $3 == e && $4 == "injected"' "$work/results" |
        awk '{ if ($2 > m) m = $2 } END { print m + 0 }')
    exercised=$(awk -v c="$cls" -v e="$err" '$1 == c && $3 == e && $4 == "injected"' \
        "$work/results" | wc -l)
    failures=$(awk -v c="$cls" -v e="$err" '$1 == c && $3 == e && $5 == "FAIL"' "$work/results" |
        wc -l)
    # points: the highest N that injected (the baseline's count when nothing was sampled away)
    { [ "$stride" -gt 1 ] || [ "$skipped" -gt 0 ]; } && points=${calls[$cls]}
    printf '%-10s %-7s %7s %10s %9s\n' "$cls" "${err/-/own}" "$points" "$exercised" "$failures"
    now["$cls $err"]=$points
    found=$((found + failures))
done
# the same by wrapped function (a class holds several: open is open, fopen, opendir...)
echo
printf '%-18s %10s %9s\n' function exercised failures
awk '$4 == "injected" { n[$6]++; if ($5 == "FAIL") f[$6]++ }
    END { for (k in n) printf "%-18s %10d %9d\n", k, n[k], f[k] }' "$work/results" | sort
if [ "$skipped" -gt 0 ]; then
    echo "$skipped planned runs not made: the ${budget} s budget ran out (the machine is slower than the baseline run said)"
fi
if [ "$stride" -gt 1 ]; then
    echo "sampled to fit ${budget} s: every ${stride}th point from offset ${offset} (the offset follows the day of the year), and each class's first and last; run without a budget for all"
fi

# coverage against the previous run
if [ -s "$counts_file" ]; then
    while read -r cls err was; do
        is=${now["$cls $err"]:-0}
        if [ "$is" -lt "$was" ]; then
            echo "COVERAGE DROPPED: $cls ($err): $is failure points, $was in the previous run"
        fi
    done <"$counts_file"
fi
: >"$counts_file"
for key in "${!now[@]}"; do echo "$key ${now[$key]}" >>"$counts_file"; done
sort -o "$counts_file" "$counts_file"

total_points=0
for key in "${!now[@]}"; do total_points=$((total_points + now[$key])); done
runs=$(awk '$4 != "skipped"' "$work/results" | wc -l)
echo "$runs runs over $total_points failure points in $((SECONDS - start)) s (one run ${base_ms} ms, $jobs at a time); $found failed"
if [ "$found" -gt 0 ]; then
    echo "failing runs (logs in $logs):"
    grep ' FAIL ' "$work/results" | sed 's/^/  /'
    for f in "$logs"/*.log; do
        echo "---- $f"
        head -n 40 "$f"
    done
    status=1
fi
exit $status
