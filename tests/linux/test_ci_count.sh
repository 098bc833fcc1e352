#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/ctest-count.sh, which .ci/run and make test-all count tests with: a skipped test is
# counted apart (never as passed), and one that .ci/allowed-skips does not allow on its target
# makes the run fail. Runs ctest on a small project of its own with a test that passes, one that
# fails, one that skips and one that is disabled. Usage: test_ci_count.sh SOURCE_DIR
set -u
src=${1:?usage: test_ci_count.sh SOURCE_DIR}
count="$src/scripts/ctest-count.sh"
. "$(dirname "$0")/shcheck.sh"

mkdir "$work/mini"
cat >"$work/mini/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(mini NONE)
enable_testing()
add_test(NAME t_pass COMMAND sh -c "exit 0")
add_test(NAME t_fail COMMAND sh -c "exit 1")
add_test(NAME t_skip COMMAND sh -c "exit 77")
set_tests_properties(t_skip PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME t_off COMMAND sh -c "exit 0")
set_tests_properties(t_off PROPERTIES DISABLED TRUE)
EOF
cmake -S "$work/mini" -B "$work/b" >/dev/null 2>&1 || { echo "cmake failed"; exit 1; }
ctest --test-dir "$work/b" -j 2 >"$work/ctest.out" 2>&1
ctest --test-dir "$work/b" -R t_pass >"$work/pass.out" 2>&1

# expect_count WANT_LAST_LINE WANT_STATUS ALLOWED_LINES [UID]: ctest-count.sh for target "mini"
mkdir "$work/bin"
expect_count() {
    printf '%s' "$3" >"$work/allowed"
    printf '#!/bin/sh\necho %s\n' "${4:-0}" >"$work/bin/id"
    chmod +x "$work/bin/id"
    PATH="$work/bin:$PATH" ALLOWED_SKIPS="$work/allowed" sh "$count" mini "${5:-$work/ctest.out}" >"$work/out"
    got=$?
    last=$(tail -n 1 "$work/out")
    [ "$last" = "$1" ] && [ "$got" = "$2" ] && ok ||
        bad "allowed '$3' uid ${4:-0}: got '$last' exit $got, expected '$1' exit $2: $(cat "$work/out")"
}

# nothing allowed: both skips are not allowed, and the skip is not among the passed
expect_count "1 1 2 2" 1 ""
grep -q "mini skip: t_skip .*NOT ALLOWED" "$work/out" && ok || bad "names the skip: $(cat "$work/out")"
grep -q "mini skip: t_off .*NOT ALLOWED" "$work/out" && ok || bad "names the disabled test"
# both allowed, one for this target, one for every target; comments and blank lines ignored
expect_count "1 1 2 0" 0 "# a comment

mini t_skip any the reason
* t_off any another reason
"
grep -q "mini skip: t_skip (allowed: the reason)" "$work/out" && ok || bad "prints the reason: $(cat "$work/out")"
# allowed on another target only
expect_count "1 1 2 2" 1 "other t_skip any x
other t_off any x
"
# allowed for a user who is not root: not as root
expect_count "1 1 2 1" 1 "mini t_skip user needs root
* t_off any x
" 0
expect_count "1 1 2 0" 0 "mini t_skip user needs root
* t_off any x
" 1000
# a run with nothing skipped; output with no ctest summary
expect_count "1 0 0 0" 0 "" 0 "$work/pass.out"
echo "not ctest" >"$work/junk.out"
expect_count "0 1 0 0" 2 "" 0 "$work/junk.out"

# The real list: four fields or more (TARGET TEST WHO REASON), WHO any or user, TARGET a preset
# or *, and TEST a test that exists.
list="$src/.ci/allowed-skips"
presets=$(sed -n 's/^ *{"name": "\([^"]*\)".*/\1/p; s/^ *"name": "\([^"]*\)".*/\1/p' "$src/CMakePresets.json" | sort -u)
if [ -r "$list" ]; then
    ok
    while read -r t name who reason; do
        case $t in '' | '#'*) continue ;; esac
        [ -n "$reason" ] || bad "allowed-skips: no reason for $t $name"
        case $who in any | user) ;; *) bad "allowed-skips: WHO is '$who' for $t $name" ;; esac
        [ "$t" = "*" ] || echo "$presets" | grep -qxF "$t" || bad "allowed-skips: no preset '$t'"
        found=$(find "$src/tests" "$src/tools" "$src/examples" -name "$name.*" 2>/dev/null | head -n 1)
        # an example's test is example_NAME (examples/CMakeLists.txt), its source examples/NAME.*
        case $name in example_?*) [ -n "$found" ] ||
            found=$(find "$src/examples" -name "${name#example_}.*" 2>/dev/null | head -n 1) ;;
        esac
        [ -n "$found" ] || grep -rqs "NAME $name " "$src/tests" "$src/tools" "$src/examples" "$src/CMakeLists.txt" ||
            bad "allowed-skips: no test named $name"
    done <"$list"
else
    bad "no .ci/allowed-skips"
fi

sh_done
