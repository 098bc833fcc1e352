#!/bin/sh
# SPDX-License-Identifier: MIT
# Configure, build and test every CMake preset one after another, warnings as errors, then print
# one summary table; the last line, "N passed, N failed, N skipped", counts tests over every
# target. A skipped test is counted apart, and one that .ci/allowed-skips does not allow on its
# target counts as failed. The macOS presets are "built, not run": nothing here runs a macOS
# program, so they pass when everything compiles (warnings as errors), links, and is a Mach-O
# file for the right CPU (scripts/check-macos-build.sh); their tests are never counted as passed.
# Exits non-zero if any target fails (or if a tool it needs is missing).
#   scripts/test-all.sh                 every preset in CMakePresets.json
#   PRESETS="i686 armv7" scripts/test-all.sh
# Each preset builds in build/<preset>; its full log is build/<preset>/test-all.log.
set -u
cd "$(dirname "$0")/.." || exit 2

jobs=$(nproc 2>/dev/null || echo 2)
presets=${PRESETS:-$(cmake --list-presets 2>/dev/null | sed -n 's/^ *"\([^"]*\)".*/\1/p')}
test_presets=$(ctest --list-presets 2>/dev/null | sed -n 's/^ *"\([^"]*\)".*/\1/p' | tr '\n' ' ')

# What the presets need from Debian: installed as root, otherwise the apt-get line is printed.
# shellcheck disable=SC2046 # one word per preset
sh scripts/need.sh $(for p in $presets; do echo --preset "$p"; done) || exit 2

table=
targets_passed=0
targets_built=0
targets_failed=0
tests_passed=0
tests_failed=0
tests_skipped=0

# Runs one preset; sets passed/failed/skipped/status.
run_preset() {
    p=$1
    dir=build/$p
    log=$dir/test-all.log
    out=$dir/test-all.ctest
    passed=0 failed=0 skipped=0
    mkdir -p "$dir"
    : >"$log"
    echo "==== $p: configure"
    # --fresh: a cache from an older toolchain file must not survive (e.g. a host C++ compiler).
    if ! cmake --preset "$p" --fresh -DMMAPC_WERROR=ON >>"$log" 2>&1; then
        status="configure failed"
        tail -n 40 "$log"
        return
    fi
    echo "==== $p: build"
    if ! cmake --build --preset "$p" -j "$jobs" >>"$log" 2>&1; then
        status="build failed"
        grep -E '(error|warning):' "$log" | sort -u | head -n 40
        tail -n 20 "$log"
        return
    fi
    case $p in
    macos-*)
        echo "==== $p: check the Mach-O files (built, not run)"
        if sh scripts/check-macos-build.sh "$dir" "${p#macos-}" >>"$log" 2>&1; then
            status="built, not run"
        else
            status="Mach-O check failed"
            grep '^check-macos-build' "$log" | tail -n 20
        fi
        return
        ;;
    esac
    echo "==== $p: test"
    # Fresh Testing/ so that the skip reasons shown below come from this run only.
    rm -rf "$dir/Testing"
    case " $test_presets " in
    *" $p "*) set -- --preset "$p" ;;
    *) set -- --test-dir "$dir" --output-on-failure -j "$jobs" ;;
    esac
    if [ "$p" = valgrind ]; then
        # The memcheck step is not a preset field; ctest 3.25 runs a -T step in the current
        # directory unless --test-dir says otherwise.
        ctest "$@" --test-dir "$dir" -T memcheck >"$out" 2>&1
    else
        ctest "$@" >"$out" 2>&1
    fi
    rc=$?
    grep -v -e '^Cannot find file: .*DartConfiguration.tcl' -e '^   Site: $' \
        -e '^   Build name: (empty)$' "$out"
    cat "$out" >>"$log"

    # Result lines: "  3/12 Test  #3: name ....   Passed    0.01 sec" (MemCheck in memcheck mode).
    results=$(grep -E '^ *[0-9]+/[0-9]+ (Test|MemCheck) +#[0-9]+: ' "$out")
    # memcheck: a test with defects fails even if its exit status said otherwise.
    defective=$(sed -n 's/^ *[0-9]*\/[0-9]* MemCheck: #[0-9]*: \([^ ]*\) .*Defects: *[1-9].*/\1/p' "$out")
    total=$(sed -n 's/.* tests failed out of \([0-9]*\)$/\1/p' "$out" | tail -n 1)
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        name=$(echo "$line" | sed 's/^[^#]*#[0-9]*: \([^ ]*\) .*/\1/')
        case "$line" in
        *" Passed "*)
            if echo "$defective" | grep -qxF "$name"; then
                failed=$((failed + 1))
            else
                passed=$((passed + 1))
            fi
            ;;
        *"***Skipped"* | *"Not Run (Disabled)"*) skipped=$((skipped + 1)) ;;
        *) failed=$((failed + 1)) ;;
        esac
    done <<EOF
$results
EOF
    # Skips apart: each must be allowed on this target (.ci/allowed-skips), or it counts as failed.
    skip_counts=$(sh scripts/ctest-count.sh "$p" "$out")
    echo "$skip_counts" | sed '$d'
    not_allowed=$(echo "$skip_counts" | tail -n 1 | cut -d ' ' -f 4)
    not_allowed=${not_allowed:-0}
    failed=$((failed + not_allowed))
    skipped=$((skipped - not_allowed))
    count=$((passed + failed + skipped))
    if [ "$count" = 0 ]; then
        status="no tests ran"
    elif [ "$count" != "${total:-}" ]; then
        status="ctest output not understood ($count results, ${total:-?} tests)"
    elif [ "$not_allowed" != 0 ] && [ "$failed" = "$not_allowed" ] && [ -z "$defective" ]; then
        status="skipped, not allowed: $(echo "$skip_counts" | sed -n 's/^ *[^ ]* skip: \([^ ]*\) .*NOT ALLOWED.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
    elif [ "$failed" != 0 ] || [ -n "$defective" ]; then
        status=failed
    elif [ "$rc" != 0 ]; then
        status="ctest exit $rc"
    else
        status=ok
    fi
    # memcheck: show what valgrind said about each failed or defective test.
    sed -n 's/^ *[0-9]*\/[0-9]* MemCheck:* *#\([0-9]*\):.*\(\*\*\*\|Defects: *[1-9]\).*/\1/p' "$out" |
        sort -un | while read -r n; do
        echo "---- $dir/Testing/Temporary/MemoryChecker.$n.log"
        grep -v -E '^==[0-9]+== ?$|HEAP SUMMARY|in use at exit|total heap usage|LEAK SUMMARY|reachable|Reachable|rerun with|suppressed:' \
            "$dir/Testing/Temporary/MemoryChecker.$n.log" | head -n 60
    done
    # Every skip says why: show the reasons (whole-test skips and single skipped checks).
    grep -h -i -E '(^|: )skipped: ' "$dir"/Testing/Temporary/Last*.log 2>/dev/null | sort -u |
        sed "s|^$(pwd)/||; s|^|  $p skip: |"
}

for p in $presets; do
    start=$(date +%s)
    status=
    run_preset "$p"
    secs=$(($(date +%s) - start))
    if [ "$status" = ok ] || [ "$status" = "built, not run" ]; then
        targets_passed=$((targets_passed + 1))
        [ "$status" = ok ] || targets_built=$((targets_built + 1))
    else
        targets_failed=$((targets_failed + 1))
        # a target that could not build or run its tests counts as one failed test
        [ "$failed" = 0 ] && failed=1
    fi
    tests_passed=$((tests_passed + passed))
    tests_failed=$((tests_failed + failed))
    tests_skipped=$((tests_skipped + skipped))
    table="$table$(printf '%-12s %7s %7s %8s %8s  %s' "$p" "$passed" "$failed" "$skipped" "$secs" "$status")
"
done

echo
printf '%-12s %7s %7s %8s %8s  %s\n' target passed failed skipped seconds result
printf '%s' "$table"
echo "targets: $targets_passed passed ($targets_built of them built, not run), $targets_failed failed"
echo "$tests_passed passed, $tests_failed failed, $tests_skipped skipped"
[ "$targets_failed" = 0 ]
