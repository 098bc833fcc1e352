#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets with clang and run each for a bounded time; any crash fails.
# Usage: fuzz/run.sh [SECONDS]   (default 60; also FUZZ_SECONDS)
set -eu
seconds=${1:-${FUZZ_SECONDS:-60}}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMMAPC_BUILD_FUZZ=ON -DMMAPC_BUILD_TESTS=OFF -DMMAPC_BUILD_EXAMPLES=OFF \
    -DMMAPC_BUILD_TOOLS=OFF -DMMAPC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_maps_parse -j 2 >/dev/null
# New inputs go to a scratch corpus so the checked-in seeds stay as they are.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$build/fuzz/fuzz_maps_parse" -max_total_time="$seconds" -timeout=10 -max_len=8192 \
    -print_final_stats=1 "$work" "$root/fuzz/corpus"
echo "fuzz_maps_parse: no crash in ${seconds}s"
