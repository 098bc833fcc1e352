#!/bin/sh
# SPDX-License-Identifier: MIT
# Count one ctest run with its skips apart: a skipped test is no pass. A skip is allowed only
# when .ci/allowed-skips lists that test for this target, with the reason; any other skip is a
# test that should have run, and fails the run.
#   scripts/ctest-count.sh TARGET CTEST_OUTPUT
# Prints one line per skipped test ("TARGET skip: NAME (allowed: REASON)", or "... NOT ALLOWED
# ..."), then a last line "PASSED FAILED SKIPPED NOT_ALLOWED": the tests that passed, failed,
# skipped (allowed or not), and how many of those skips are not allowed. Exits 1 when a skip is
# not allowed, 2 when the output holds no ctest summary. ALLOWED_SKIPS names another list.
set -u
[ $# -eq 2 ] || { echo "usage: ctest-count.sh TARGET CTEST_OUTPUT" >&2; exit 2; }
target=$1
log=$2
allowed=${ALLOWED_SKIPS:-$(dirname "$0")/../.ci/allowed-skips}
uid=$(id -u)

# "67% tests passed, 1 tests failed out of 3": skipped tests are in the 3 and among the passed;
# disabled ones are not in it.
summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
if [ -z "$summary" ]; then
    echo "$target: no ctest summary in the output"
    echo "0 1 0 0"
    exit 2
fi
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/')
total=$(echo "$summary" | sed -E 's/.* failed out of ([0-9]+).*/\1/')

# "The following tests did not run:" then "\t  3 - name (Skipped)" or "(Disabled)" lines.
skips=$(sed -n '/^The following tests did not run:/,/^$/p' "$log" |
    sed -n -E 's/^[[:space:]]+[0-9]+ - ([^ ]+) \((Skipped|Disabled)\)$/\1 \2/p')

# The reason a test may skip on this target, or nothing.
reason_for() {
    [ -r "$allowed" ] || return 0
    while read -r t name who reason; do
        case $t in '' | '#'*) continue ;; esac
        # shellcheck disable=SC2254 # the target field is a pattern (* for every target)
        case $target in $t) ;; *) continue ;; esac
        [ "$name" = "$1" ] || continue
        [ "$who" = any ] || { [ "$who" = user ] && [ "$uid" != 0 ]; } || continue
        echo "$reason"
        return 0
    done <"$allowed"
}

skipped=0
skipped_in_total=0
not_allowed=0
while read -r name how; do
    [ -n "$name" ] || continue
    skipped=$((skipped + 1))
    [ "$how" = Skipped ] && skipped_in_total=$((skipped_in_total + 1))
    reason=$(reason_for "$name")
    if [ -n "$reason" ]; then
        echo "  $target skip: $name (allowed: $reason)"
    else
        not_allowed=$((not_allowed + 1))
        echo "  $target skip: $name ($how) NOT ALLOWED: it should run here (see .ci/allowed-skips)"
    fi
done <<EOF
$skips
EOF
echo "$((total - failed - skipped_in_total)) $failed $skipped $not_allowed"
[ "$not_allowed" = 0 ]
