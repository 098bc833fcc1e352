# SPDX-License-Identifier: MIT
# Sourced by the shell tests: a scratch directory $work removed at exit, the ok/bad counters, and
# sh_done for the last line ("N passed, N failed") and the exit status.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    printf 'FAILED: %s\n' "$*" >&2
}
sh_done() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
