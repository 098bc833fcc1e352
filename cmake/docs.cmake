# SPDX-License-Identifier: MIT
# Documentation: the manual pages mmapc(1) and mmapc(3) (scdoc sources in docs/, rendered into
# <build>/man and installed to share/man), the API reference (Doxygen over the header, target
# `docs`, output in <build>/docs/api), the licence text, and the tests that keep them right.
option(MMAPC_BUILD_DOCS "Build the manual pages (scdoc) and the API reference (doxygen)" ON)

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT license)

if(MMAPC_BUILD_DOCS)
  find_program(MMAPC_SCDOC scdoc)
  find_program(MMAPC_DOXYGEN doxygen)
endif()
set(MMAPC_NATIVE_LINUX OFF)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND NOT CMAKE_CROSSCOMPILING)
  set(MMAPC_NATIVE_LINUX ON)
endif()

# ---- manual pages
set(MMAPC_MAN_DIR ${PROJECT_BINARY_DIR}/man)
if(MMAPC_BUILD_DOCS AND NOT MMAPC_SCDOC)
  message(STATUS "scdoc not found: no manual pages (apt-get install scdoc)")
elseif(MMAPC_BUILD_DOCS)
  # Installed compressed, as Debian wants them (gzip -9n: no name or time stamp inside).
  find_program(MMAPC_GZIP gzip)
  set(suffix "")
  if(MMAPC_GZIP)
    set(suffix ".gz")
  endif()
  set(pages)
  foreach(page mmapc.1 mmapc.3)
    set(compress)
    if(MMAPC_GZIP)
      set(compress COMMAND sh -c "\"$0\" -9n -c \"$1\" > \"$1.gz\"" ${MMAPC_GZIP} ${MMAPC_MAN_DIR}/${page})
    endif()
    add_custom_command(OUTPUT ${MMAPC_MAN_DIR}/${page} ${MMAPC_MAN_DIR}/${page}${suffix}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${MMAPC_MAN_DIR}
      COMMAND sh -c "\"$0\" < \"$1\" > \"$2\"" ${MMAPC_SCDOC} ${PROJECT_SOURCE_DIR}/docs/${page}.scd
              ${MMAPC_MAN_DIR}/${page}
      ${compress}
      DEPENDS ${PROJECT_SOURCE_DIR}/docs/${page}.scd
      COMMENT "Manual page ${page}" VERBATIM)
    list(APPEND pages ${MMAPC_MAN_DIR}/${page} ${MMAPC_MAN_DIR}/${page}${suffix})
  endforeach()
  list(REMOVE_DUPLICATES pages)
  add_custom_target(man ALL DEPENDS ${pages})
  install(FILES ${MMAPC_MAN_DIR}/mmapc.3${suffix} DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev)
  if(MMAPC_BUILD_TOOLS)
    install(FILES ${MMAPC_MAN_DIR}/mmapc.1${suffix} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
            COMPONENT tool)
  endif()
  find_program(MMAPC_MAN man)
  find_program(MMAPC_GROFF groff)
  find_program(MMAPC_PYTHON3 python3)
  if(MMAPC_BUILD_TESTS AND MMAPC_BUILD_TOOLS AND MMAPC_NATIVE_LINUX AND MMAPC_MAN AND MMAPC_GROFF
     AND MMAPC_PYTHON3)
    add_test(NAME man_pages COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/check-man.sh
             ${PROJECT_SOURCE_DIR}/include/mmapc.h ${MMAPC_MAN_DIR}/mmapc.1 ${MMAPC_MAN_DIR}/mmapc.3
             $<TARGET_FILE:mmapc_tool> "${CMAKE_C_COMPILER} ${CMAKE_C_FLAGS}" $<TARGET_FILE:mmapc_static>)
    set_tests_properties(man_pages PROPERTIES TIMEOUT 120)
  elseif(MMAPC_BUILD_TESTS AND MMAPC_BUILD_TOOLS AND MMAPC_NATIVE_LINUX)
    set(missing)
    foreach(tool MAN GROFF PYTHON3)
      if(NOT MMAPC_${tool})
        string(TOLOWER ${tool} t)
        list(APPEND missing ${t})
      endif()
    endforeach()
    list(JOIN missing ", " missing)
    mmapc_left_out(man_pages "${missing} not found (apt-get install man-db groff python3)")
  endif()
endif()
if(MMAPC_BUILD_TESTS AND MMAPC_BUILD_TOOLS AND MMAPC_NATIVE_LINUX AND NOT MMAPC_BUILD_DOCS)
  mmapc_left_out(man_pages "MMAPC_BUILD_DOCS is OFF")
elseif(MMAPC_BUILD_TESTS AND MMAPC_BUILD_TOOLS AND MMAPC_NATIVE_LINUX AND NOT MMAPC_SCDOC)
  mmapc_left_out(man_pages "scdoc not found (apt-get install scdoc)")
endif()

# ---- API reference
if(MMAPC_BUILD_DOCS AND NOT MMAPC_DOXYGEN)
  message(STATUS "doxygen not found: no API reference (apt-get install doxygen)")
  add_custom_target(docs COMMAND ${CMAKE_COMMAND} -E echo "doxygen not found (apt-get install doxygen)"
                    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
elseif(MMAPC_BUILD_DOCS)
  set(MMAPC_API_DOCS_DIR ${PROJECT_BINARY_DIR}/docs/api)
  configure_file(${PROJECT_SOURCE_DIR}/docs/Doxyfile.in ${PROJECT_BINARY_DIR}/docs/Doxyfile @ONLY)
  add_custom_target(docs COMMAND ${MMAPC_DOXYGEN} ${PROJECT_BINARY_DIR}/docs/Doxyfile
                    COMMAND ${CMAKE_COMMAND} -E echo "API reference: ${MMAPC_API_DOCS_DIR}/html/index.html"
                    WORKING_DIRECTORY ${PROJECT_BINARY_DIR} VERBATIM)
  if(TARGET man)
    add_dependencies(docs man)
  endif()
  find_program(MMAPC_PYTHON3 python3)
  if(MMAPC_BUILD_TESTS AND MMAPC_NATIVE_LINUX AND MMAPC_PYTHON3)
    add_test(NAME api_docs COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/check-api-docs.sh ${MMAPC_DOXYGEN}
             ${PROJECT_BINARY_DIR}/docs/Doxyfile ${PROJECT_SOURCE_DIR}/include/mmapc.h
             ${PROJECT_BINARY_DIR}/docs/api-test)
    set_tests_properties(api_docs PROPERTIES TIMEOUT 120)
  elseif(MMAPC_BUILD_TESTS AND MMAPC_NATIVE_LINUX)
    mmapc_left_out(api_docs "python3 not found (apt-get install python3)")
  endif()
endif()
if(MMAPC_BUILD_TESTS AND MMAPC_NATIVE_LINUX AND NOT MMAPC_BUILD_DOCS)
  mmapc_left_out(api_docs "MMAPC_BUILD_DOCS is OFF")
elseif(MMAPC_BUILD_TESTS AND MMAPC_NATIVE_LINUX AND NOT MMAPC_DOXYGEN)
  mmapc_left_out(api_docs "doxygen not found (apt-get install doxygen)")
endif()
