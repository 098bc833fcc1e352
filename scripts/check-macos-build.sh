#!/bin/sh
# SPDX-License-Identifier: MIT
# What a macOS preset build must hold, since nothing of it can run here (make test-all's
# "built, not run" rows): every test CTest would run is a Mach-O executable for CPU; so are the
# examples' and the tool; the shared library is a Mach-O dylib for CPU; the static library holds
# the macOS files (src/os/darwin*.c), compiled for CPU, with the warnings as errors the build was
# configured for.
#   scripts/check-macos-build.sh BUILD_DIR CPU      CPU: x86_64 or arm64 (as file(1) names it)
# Prints one line per problem and a summary; exits non-zero on any problem.
set -u
dir=${1:?build dir}
cpu=${2:?cpu}
problems=0
bad() {
    echo "check-macos-build: $*"
    problems=$((problems + 1))
}
# is_macho FILE KIND: file(1) calls FILE a 64-bit Mach-O KIND for CPU
is_macho() {
    desc=$(file -b "$1" 2>/dev/null)
    case $desc in
    "Mach-O 64-bit $cpu $2"*) return 0 ;;
    *) bad "$1: not a Mach-O $2 for $cpu ($desc)" && return 1 ;;
    esac
}

grep -q '^MMAPC_WERROR:BOOL=ON$' "$dir/CMakeCache.txt" || bad "$dir was not configured with MMAPC_WERROR=ON"

# Every test's program: a test without one (its target failed to build) is a problem too.
tests=$(ctest --test-dir "$dir" --show-only=json-v1 2>/dev/null | python3 -c '
import json, sys
for t in json.load(sys.stdin)["tests"]:
    cmd = t.get("command") or ["(none)"]
    print(t["name"], cmd[0])') || bad "ctest cannot list the tests of $dir"
count=0
while read -r name program; do
    [ -n "$name" ] || continue
    count=$((count + 1))
    [ -f "$program" ] || { bad "test $name: no program ($program)"; continue; }
    is_macho "$program" executable || true
done <<END
$tests
END
[ "$count" -gt 0 ] || bad "no tests in $dir"

[ -f "$dir/tools/mmapc" ] && is_macho "$dir/tools/mmapc" executable
dylib=$(find "$dir" -maxdepth 1 -name 'libmmapc.*.dylib' -type f | head -n 1)
if [ -n "$dylib" ]; then
    is_macho "$dylib" "dynamically linked shared library"
else
    bad "no libmmapc dylib in $dir"
fi

# The static library's members: the macOS files are among them, each a Mach-O object for CPU.
lib=$(cd "$dir" && pwd)/libmmapc.a
objects=$(mktemp -d)
if (cd "$objects" && ar x "$lib"); then
    for f in darwin.c.o darwin_areas.c.o; do
        [ -f "$objects/$f" ] || bad "$lib has no $f"
    done
    for f in "$objects"/*.o; do
        [ -f "$f" ] && { is_macho "$f" object || true; }
    done
else
    bad "cannot read $lib"
fi
rm -rf "$objects"

if [ "$problems" -ne 0 ]; then
    echo "check-macos-build: $dir: $problems problem(s)"
    exit 1
fi
echo "check-macos-build: $dir: $count test programs, the examples' and the tool, libmmapc (static and dylib): Mach-O for $cpu"
