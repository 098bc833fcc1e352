# SPDX-License-Identifier: MIT
# One version everywhere. The header is its source; this checks that these all say the same:
# the header's MAJOR, MINOR and PATCH macros and its MMAPC_VERSION_STRING, the CMake project,
# the shared library's file name, `mmapc --version` (the tool and the library it runs),
# the installed pkg-config file (read by pkg-config), the installed CMake package version file,
# and the version CPack gives the packages. Usage:
#   cmake -DHEADER=<mmapc.h> -DPROJECT_VERSION=<x.y.z> -DTOOL=<mmapc> -DLIB=<libmmapc.so.x.y.z>
#         -DBUILD_DIR=<build> -DWORK=<scratch> -P version.cmake
file(STRINGS ${HEADER} lines REGEX "^#define MMAPC_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
foreach(part MAJOR MINOR PATCH STRING)
  set(${part})
  foreach(line IN LISTS lines)
    if(line MATCHES "^#define MMAPC_VERSION_${part} +\"?([0-9.]+)\"?$")
      set(${part} ${CMAKE_MATCH_1})
    endif()
  endforeach()
  if("${${part}}" STREQUAL "")
    message(FATAL_ERROR "no MMAPC_VERSION_${part} in ${HEADER}")
  endif()
endforeach()
set(version ${STRING})
set(failures "")
macro(agree what got)
  if(NOT "${got}" STREQUAL "${version}")
    string(APPEND failures "\n  ${what}: '${got}', not '${version}'")
  else()
    message(STATUS "${what}: ${got}")
  endif()
endmacro()

agree("header MAJOR.MINOR.PATCH" "${MAJOR}.${MINOR}.${PATCH}")
agree("CMake project" "${PROJECT_VERSION}")
get_filename_component(libname ${LIB} NAME)
string(REGEX REPLACE "^libmmapc\\.so\\." "" libversion "${libname}")
agree("shared library file ${libname}" "${libversion}")

execute_process(COMMAND ${TOOL} --version OUTPUT_VARIABLE out RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^mmapc ([^ ]+) \\(library ([^ ]+)\\)$")
  string(APPEND failures "\n  mmapc --version: exit ${rc}, '${out}'")
else()
  agree("mmapc --version (tool)" "${CMAKE_MATCH_1}")
  agree("mmapc --version (library)" "${CMAKE_MATCH_2}")
endif()

# What `cmake --install` puts in place for building against the library.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --component dev --prefix ${WORK}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install --component dev failed")
endif()
file(GLOB_RECURSE pc ${WORK}/*/mmapc.pc)
file(GLOB_RECURSE cmakeversion ${WORK}/*/mmapcConfigVersion.cmake)
if(NOT pc OR NOT cmakeversion)
  message(FATAL_ERROR "no mmapc.pc or mmapcConfigVersion.cmake installed in ${WORK}")
endif()
get_filename_component(pcdir ${pc} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pcdir})
set(ENV{PKG_CONFIG_LIBDIR} ${pcdir})
execute_process(COMMAND pkg-config --modversion mmapc OUTPUT_VARIABLE out RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
agree("installed mmapc.pc (pkg-config --modversion)" "${out}")
include(${cmakeversion})
agree("installed mmapcConfigVersion.cmake" "${PACKAGE_VERSION}")

# The packages (cmake/packaging.cmake).
include(${BUILD_DIR}/CPackConfig.cmake)
agree("CPack package version" "${CPACK_PACKAGE_VERSION}")
agree("Debian package version" "${CPACK_DEBIAN_PACKAGE_VERSION}")
if(NOT CPACK_DEBIAN_DEV_PACKAGE_DEPENDS MATCHES "libmmapc${MAJOR} \\(= ${version}\\)")
  string(APPEND failures "\n  libmmapc-dev depends on '${CPACK_DEBIAN_DEV_PACKAGE_DEPENDS}'")
endif()

if(failures)
  message(FATAL_ERROR "versions disagree with the header's ${version}:${failures}")
endif()
message(STATUS "every version is ${version}")
