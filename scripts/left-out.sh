#!/bin/sh
# SPDX-License-Identifier: MIT
# After a test run: say which tests the configuration left out for a missing tool, and why
# (BUILD/tests-left-out.txt, written by cmake/left_out.cmake), or that none was.
#   scripts/left-out.sh BUILD_DIR
set -u
list=${1:?usage: left-out.sh BUILD_DIR}/tests-left-out.txt
if [ ! -f "$list" ]; then
    echo "left-out.sh: $list is missing (configure first)" >&2
    exit 2
fi
if [ -s "$list" ]; then
    echo "Tests left out of this run ($(wc -l <"$list") reasons; install the tool and run again):"
    sed 's/^/  /' "$list"
else
    echo "No test left out: every test of this configuration ran."
fi
