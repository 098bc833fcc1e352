#!/bin/sh
# SPDX-License-Identifier: MIT
# The ranlib of the macOS presets: `zig ranlib` (CMAKE_RANLIB takes one program, no arguments).
exec "$(dirname "$0")/../scripts/zig.sh" ranlib "$@"
