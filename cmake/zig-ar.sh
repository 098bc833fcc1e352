#!/bin/sh
# SPDX-License-Identifier: MIT
# The archiver of the macOS presets: `zig ar` (CMAKE_AR takes one program, no arguments).
exec "$(dirname "$0")/../scripts/zig.sh" ar "$@"
