#!/bin/sh
# SPDX-License-Identifier: MIT
# Make sure Debian packages are installed before a make target uses them: as root, install what
# is missing with apt-get; otherwise print the apt-get line to run and fail (exit 2).
#   scripts/need.sh [--optional] [--preset NAME]... [PACKAGE]...
# --preset NAME adds what the CMake preset NAME needs (one list, used by make test-all too).
# --optional: print the line but do not fail when the packages cannot be installed (for what a
# target can do without, such as the benchmark's plot).
# On a system without dpkg it checks nothing and says so.
set -u

# Debian packages (bookworm) each CMake preset needs to build and run its tests.
packages_for_preset() {
    case $1 in
    gcc) echo cmake make gcc g++ python3 ;;
    clang) echo cmake make clang python3 ;;
    musl) echo cmake make gcc musl-tools python3 ;;
    i686) echo cmake make gcc-i686-linux-gnu g++-i686-linux-gnu libc6-dev-i386-cross libc6-i386 qemu-user python3 ;;
    aarch64) echo cmake make gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user python3 ;;
    armv7) echo cmake make gcc-arm-linux-gnueabihf g++-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user python3 ;;
    asan-ubsan | tsan) echo cmake make clang libclang-rt-14-dev python3 ;;
    valgrind) echo cmake make gcc g++ valgrind python3 ;;
    windows) echo cmake make gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix wine wine64 ;;
    posix) echo cmake make gcc g++ python3 ;;
    # zig 0.11 comes with npm into build/zig (scripts/zig.sh): Debian's npm unless there is an npm
    # already (a Node.js from elsewhere brings its own, and Debian's conflicts with it)
    macos-x86_64 | macos-arm64)
        echo cmake make file binutils python3
        command -v npm >/dev/null 2>&1 || echo npm
        ;;
    *)
        echo "need.sh: unknown preset '$1'" >&2
        return 1
        ;;
    esac
}

optional=0
wanted=
while [ $# -gt 0 ]; do
    case $1 in
    --optional) optional=1 ;;
    --preset)
        [ $# -ge 2 ] || { echo "need.sh: --preset needs a name" >&2; exit 2; }
        list=$(packages_for_preset "$2") || exit 2
        wanted="$wanted $list"
        shift
        ;;
    -*)
        echo "need.sh: unknown option '$1'" >&2
        exit 2
        ;;
    *) wanted="$wanted $1" ;;
    esac
    shift
done

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "need.sh: no dpkg here; cannot check for:$wanted" >&2
    exit 0
fi
missing=
for pkg in $wanted; do
    case " $missing " in *" $pkg "*) continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
        missing="$missing $pkg"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086 # one word per package
    if { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2; then
        exit 0
    fi
    echo "need.sh: apt-get could not install$missing" >&2
else
    echo "These Debian packages are missing:" >&2
    echo "  sudo apt-get install --no-install-recommends$missing" >&2
fi
[ "$optional" = 1 ] && exit 0
exit 2
