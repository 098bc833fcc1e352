# SPDX-License-Identifier: MIT
# Tests this configuration leaves out because a tool they need is missing, each with the reason
# and the package that brings the tool. Configure prints them (message NOTICE, shown by the
# Makefile's quiet configure) and writes them to <build>/tests-left-out.txt, which `make test`
# prints after ctest, so that a test never vanishes without a word.
function(mmapc_left_out name reason)
  set_property(GLOBAL APPEND PROPERTY MMAPC_LEFT_OUT "${name}: ${reason}")
endfunction()

# Called once, at the end of the top-level CMakeLists.txt.
function(mmapc_write_left_out)
  get_property(items GLOBAL PROPERTY MMAPC_LEFT_OUT)
  set(text "")
  foreach(item IN LISTS items)
    message(NOTICE "test left out: ${item}")
    string(APPEND text "${item}\n")
  endforeach()
  file(WRITE ${PROJECT_BINARY_DIR}/tests-left-out.txt "${text}")
endfunction()
