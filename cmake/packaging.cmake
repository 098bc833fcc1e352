# SPDX-License-Identifier: MIT
# Debian packages with CPack (`make package`; scripts/test-packages.sh installs and removes them):
#   libmmapc0     the shared library (SONAME libmmapc.so.0), with shlibs; ldconfig runs on install and
#                 removal through its trigger (no maintainer script)
#   libmmapc-dev  headers (mmapc.h, mmapc.hpp), static library, the libmmapc.so link, pkg-config
#                 file, CMake package, mmapc(3); depends on libmmapc0 of the same version
#   mmapc         the tool (linked with the static library, so it needs no libmmapc0), mmapc(1),
#                 bash completion
# Install components: lib, dev, tool (set on the install() rules); the licence goes into each
# package as the Debian copyright file.
set(CPACK_PACKAGE_NAME mmapc)
set(CPACK_PACKAGE_VENDOR "The mmapc developers")
set(CPACK_PACKAGE_CONTACT "The mmapc developers <maintainers@users.noreply.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build" "/out/")
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev)
if(MMAPC_BUILD_TOOLS)
  list(APPEND CPACK_COMPONENTS_ALL tool)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Dependencies of the binaries from dpkg-shlibdeps (libc6), and for the shared library a shlibs
# file and the ldconfig trigger.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The trigger runs ldconfig once after dpkg is done, so the package needs no maintainer script.
# CPack would write a postinst and a postrm calling ldconfig unless the extra control files name
# both; naming two that do not exist keeps it from writing them, and CPack adds only the files
# that exist, with a warning for each of these two (lintian warned maintainer-script-empty for
# scripts that only said so).
set(mmapc_deb ${PROJECT_BINARY_DIR}/debian)
file(WRITE ${mmapc_deb}/lib/triggers "activate-noawait ldconfig\n")
file(REMOVE ${mmapc_deb}/lib/postinst ${mmapc_deb}/lib/postrm)
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${mmapc_deb}/lib/triggers ${mmapc_deb}/lib/none/postinst
    ${mmapc_deb}/lib/none/postrm)

set(CPACK_DEBIAN_LIB_PACKAGE_NAME libmmapc${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
# A description's first line is the synopsis, the rest the extended description.
set(CPACK_DEBIAN_LIB_DESCRIPTION "${PROJECT_DESCRIPTION} - shared library
libmmapc creates and manages memory mappings in the address space of the
calling process (anonymous and file-backed, reserve and commit, protection
changes, split and merge, advice over ranges, shared memory) and describes
the memory areas of any process.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libmmapc-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libmmapc${PROJECT_VERSION_MAJOR} (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_DEV_DESCRIPTION "${PROJECT_DESCRIPTION} - development files
The headers mmapc.h and mmapc.hpp (C++), the static library, the
pkg-config file, the CMake package (find_package(mmapc)) and the manual page
mmapc(3) of libmmapc.")

set(CPACK_DEBIAN_TOOL_PACKAGE_NAME mmapc)
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOL_DESCRIPTION "${PROJECT_DESCRIPTION} - command-line tool
mmapc lists the memory areas of a process, tells which area holds an
address, and describes the page sizes, huge pages and transparent huge pages
this system offers, as a table or JSON.")

# The copyright file Debian wants in every package: the MIT licence in the machine-readable form.
# Installed only when CPack installs one component (EXCLUDE_FROM_ALL keeps it out of a plain
# `cmake --install`, which puts the licence in share/doc/mmapc instead).
file(READ ${PROJECT_SOURCE_DIR}/LICENSE mmapc_licence)
string(STRIP "${mmapc_licence}" mmapc_licence)
string(REGEX MATCH "Copyright \\(c\\) [^\n]*" mmapc_holder "${mmapc_licence}")
string(REGEX REPLACE "^Copyright \\(c\\) " "" mmapc_holder "${mmapc_holder}")
string(REGEX REPLACE "\n\n" "\n.\n" mmapc_licence "${mmapc_licence}")
string(REPLACE "\n" "\n " mmapc_licence "${mmapc_licence}")
set(mmapc_copyright "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: mmapc

Files: *
Copyright: ${mmapc_holder}
License: MIT
 ${mmapc_licence}
")
file(WRITE ${mmapc_deb}/copyright "${mmapc_copyright}")
# And the Debian changelog a native package carries: the version, pointing to CHANGELOG.md.
string(TIMESTAMP mmapc_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${mmapc_deb}/changelog "mmapc (${PROJECT_VERSION}) unstable; urgency=medium

  * mmapc ${PROJECT_VERSION}. What each version brought is in CHANGELOG.md of the
    sources.

 -- ${CPACK_PACKAGE_CONTACT}  ${mmapc_date}
")
set(mmapc_deb_docs ${mmapc_deb}/copyright)
find_program(MMAPC_GZIP gzip)
if(MMAPC_GZIP)
  execute_process(COMMAND ${MMAPC_GZIP} -9nf ${mmapc_deb}/changelog)
  list(APPEND mmapc_deb_docs ${mmapc_deb}/changelog.gz)
endif()
foreach(component IN LISTS CPACK_COMPONENTS_ALL)
  string(TOUPPER ${component} upper)
  install(FILES ${mmapc_deb_docs}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_DEBIAN_${upper}_PACKAGE_NAME}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

# CPackDeb puts the project's summary line before every component's description unless the
# summary is CPack's default; each package's own description starts with its synopsis instead.
file(WRITE ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake
     "set(CPACK_PACKAGE_DESCRIPTION_SUMMARY \"\${CPACK_DEFAULT_PACKAGE_DESCRIPTION_SUMMARY}\")\n")
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake)

include(CPack)
