# SPDX-License-Identifier: MIT
# What pytest.cmake and pip.cmake share: a fresh WORK with a copy of python/ in WORK/src (so that
# the source tree gets no build files, and may be read-only, as in the kernel matrix), the
# environment that points setup.py at the build tree's library, and run(WHAT COMMAND...).
file(REMOVE_RECURSE ${WORK})
file(COPY ${SOURCE_DIR}/ DESTINATION ${WORK}/src PATTERN build EXCLUDE PATTERN "*.egg-info" EXCLUDE
     PATTERN __pycache__ EXCLUDE)
set(ENV{MMAPC_LIB_DIR} ${LIB_DIR})
set(ENV{MMAPC_INCLUDE_DIR} ${INCLUDE_DIR})
set(ENV{CC} ${CC})
set(ENV{PYTHONDONTWRITEBYTECODE} 1)
set(ENV{PIP_DISABLE_PIP_VERSION_CHECK} 1)
function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY ${WORK}/src RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endfunction()
