# SPDX-License-Identifier: MIT
# macOS on arm64, cross-built with zig cc (cmake/zig-macos.cmake); built and linked, not run.
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(MMAPC_ZIG_TARGET aarch64-macos)
include(${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake)
