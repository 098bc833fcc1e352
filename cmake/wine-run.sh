#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a Windows program under wine: CMAKE_CROSSCOMPILING_EMULATOR of the mingw-w64 toolchain.
# The wine prefix is made on first use, once even when tests start in parallel, in
# $MMAPC_WINEPREFIX (default: $TMPDIR or /tmp, per user). Exit statuses pass through.
set -e
export WINEPREFIX="${MMAPC_WINEPREFIX:-${TMPDIR:-/tmp}/mmapc-wine-$(id -u)}"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml,winemenubuilder.exe=d"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    mkdir -p "$WINEPREFIX"
    flock "$WINEPREFIX/.create.lock" sh -c \
        'test -f "$WINEPREFIX/system.reg" || wineboot --init >/dev/null 2>&1; wineserver -w'
fi
# One wine server for the whole test run: started here, it stays 10 s after its last client
# (one started by a program alone ends with it, and a program that starts just then loses its
# connection: "wine client error ... Connection reset by peer"). If one runs already, this is a
# no-op (exit status 2).
wineserver -p10 2>/dev/null || true
exec wine "$@"
