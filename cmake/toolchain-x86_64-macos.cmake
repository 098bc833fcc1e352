# SPDX-License-Identifier: MIT
# macOS on x86_64, cross-built with zig cc (cmake/zig-macos.cmake); built and linked, not run.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(MMAPC_ZIG_TARGET x86_64-macos)
include(${CMAKE_CURRENT_LIST_DIR}/zig-macos.cmake)
