# SPDX-License-Identifier: MIT
# Installs the build into a scratch prefix and builds two consumers against it: one with
# find_package(mmapc) and one with pkg-config. Usage:
#   cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<tests/consumer> -DWORK=<scratch> -DCC=<compiler>
#         [-DCXX=<C++ compiler>] [-DCFLAGS=...] [-DLDFLAGS=...] -P install.cmake
# With CXX, a C++ consumer of mmapc.hpp is built with pkg-config too.
file(REMOVE_RECURSE ${WORK})
set(prefix ${WORK}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed")
endif()
foreach(f include/mmapc.h include/mmapc.hpp lib/pkgconfig/mmapc.pc lib/cmake/mmapc/mmapcConfig.cmake share/doc/mmapc/LICENSE)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()

# Without CXX no C++ consumer: not even one with whatever C++ compiler the host has (musl-gcc's
# build would meet the host g++, whose glibc C++ library does not link with a musl library).
set(cxx_args "-DCMAKE_CXX_COMPILER=CMAKE_CXX_COMPILER-NOTFOUND")
if(CXX) # the C++ consumer with the build's C++ compiler and flags
  set(cxx_args "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CFLAGS}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK}/consumer
                -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS}"
                ${cxx_args}
                "-DCMAKE_EXE_LINKER_FLAGS=${LDFLAGS}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package consumer: configure failed\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK}/consumer RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package consumer: build failed\n${out}\n${err}")
endif()
execute_process(COMMAND ${WORK}/consumer/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
  message(FATAL_ERROR "find_package consumer did not run: ${rc} ${out}")
endif()

if(CXX)
  execute_process(COMMAND ${WORK}/consumer/consumer_cxx RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
    message(FATAL_ERROR "find_package C++ consumer did not run: ${rc} ${out}")
  endif()
endif()

set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND pkg-config --cflags --libs mmapc OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config does not know mmapc")
endif()
# The prefix as installed, not a path through lib/pkgconfig/..: pkg-config leaves out the system's
# own directories (-I/usr/include) only when they are spelled so.
if(NOT flags MATCHES "(^| )-I${prefix}/include( |$)" OR NOT flags MATCHES "(^| )-L${prefix}/lib( |$)"
   OR flags MATCHES "\\.\\.")
  message(FATAL_ERROR "pkg-config --cflags --libs mmapc: '${flags}', not -I${prefix}/include -L${prefix}/lib")
endif()
separate_arguments(flags UNIX_COMMAND "${CFLAGS} ${flags} ${LDFLAGS}")
execute_process(COMMAND ${CC} -std=c11 ${SOURCE_DIR}/consumer.c ${flags} -o ${WORK}/pc-consumer
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config consumer: build failed\n${err}")
endif()
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
execute_process(COMMAND ${WORK}/pc-consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
  message(FATAL_ERROR "pkg-config consumer did not run: ${rc} ${out}")
endif()
if(CXX)
  execute_process(COMMAND ${CXX} -std=c++17 -Wall -Wextra -Werror ${SOURCE_DIR}/consumer.cpp ${flags}
                  -o ${WORK}/pc-consumer-cxx RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config C++ consumer: build failed\n${err}")
  endif()
  execute_process(COMMAND ${WORK}/pc-consumer-cxx RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "consumer ok")
    message(FATAL_ERROR "pkg-config C++ consumer did not run: ${rc} ${out}")
  endif()
endif()
message(STATUS "installed package works with find_package and pkg-config")
