#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets with clang and run each for a bounded time; any crash fails.
# Usage: fuzz/run.sh [SECONDS]   (default 60; also FUZZ_SECONDS): the whole budget, split between
# the line parser (fuzz_maps_parse), areas.c on a fake platform (fuzz_areas), the smaps parser
# of memory use (fuzz_usage) and the build-ID readers of ELF and PE images (fuzz_build_id).
# FUZZ_BUILD names the build folder (default build/fuzz).
set -eu
seconds=${1:-${FUZZ_SECONDS:-60}}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-"$root/build/fuzz"}
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMMAPC_BUILD_FUZZ=ON -DMMAPC_BUILD_TESTS=OFF -DMMAPC_BUILD_EXAMPLES=OFF \
    -DMMAPC_BUILD_TOOLS=OFF -DMMAPC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_maps_parse fuzz_areas fuzz_usage fuzz_build_id -j 2 >/dev/null
parse_seconds=$((seconds * 3 / 10))
usage_seconds=$((seconds / 5))
build_id_seconds=$((seconds / 10))
areas_seconds=$((seconds - parse_seconds - usage_seconds - build_id_seconds))
[ "$parse_seconds" -ge 1 ] || parse_seconds=1
[ "$areas_seconds" -ge 1 ] || areas_seconds=1
[ "$usage_seconds" -ge 1 ] || usage_seconds=1
[ "$build_id_seconds" -ge 1 ] || build_id_seconds=1
# New inputs go to scratch corpora so the checked-in seeds stay as they are.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/parse" "$work/areas" "$work/usage" "$work/build_id"
cd "$work"
"$build/fuzz/fuzz_maps_parse" -max_total_time="$parse_seconds" -timeout=10 -max_len=8192 \
    -print_final_stats=1 "$work/parse" "$root/fuzz/corpus"
echo "fuzz_maps_parse: no crash in ${parse_seconds}s"
"$build/fuzz/fuzz_areas" -max_total_time="$areas_seconds" -timeout=10 -max_len=32768 \
    -print_final_stats=1 "$work/areas" "$root/fuzz/corpus-areas"
echo "fuzz_areas: no crash in ${areas_seconds}s"
"$build/fuzz/fuzz_usage" -max_total_time="$usage_seconds" -timeout=10 -max_len=16384 \
    -print_final_stats=1 "$work/usage" "$root/fuzz/corpus-usage"
echo "fuzz_usage: no crash in ${usage_seconds}s"
"$build/fuzz/fuzz_build_id" -max_total_time="$build_id_seconds" -timeout=10 -max_len=8192 \
    -print_final_stats=1 "$work/build_id" "$root/fuzz/corpus-build-id"
echo "fuzz_build_id: no crash in ${build_id_seconds}s"
