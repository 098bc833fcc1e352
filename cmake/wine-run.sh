#!/bin/sh
# Run a Windows program under wine: CMAKE_CROSSCOMPILING_EMULATOR of the mingw-w64 toolchain.
# The wine prefix is made on first use, once even when tests start in parallel, in
# $MMAPC_WINEPREFIX (default: $TMPDIR or /tmp, per user). Exit statuses pass through.
set -e
export WINEPREFIX="${MMAPC_WINEPREFIX:-${TMPDIR:-/tmp}/mmapc-wine-$(id -u)}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=d"
export MMAPC_TEST_EMULATOR=wine
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    flock "$WINEPREFIX/.create.lock" sh -c \
        'test -f "$WINEPREFIX/system.reg" || wineboot --init >/dev/null 2>&1; wineserver -w'
fi
exec wine "$@"
