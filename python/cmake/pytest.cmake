# SPDX-License-Identifier: MIT
# Build mmapc._mmapc against the build tree's libmmapc.so (rpath to it) into WORK/lib, with the
# C compiler of the build and warnings as errors, then run pytest on tests/ with that package.
# cmake -DPYTHON= -DSOURCE_DIR= -DINCLUDE_DIR= -DLIB_DIR= -DCC= -DWORK= -P pytest.cmake
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
run("building the extension" ${PYTHON} setup.py -q build_py --build-lib ${WORK}/lib
    build_ext --build-lib ${WORK}/lib --build-temp ${WORK}/tmp)
set(ENV{PYTHONPATH} ${WORK}/lib)
set(ENV{MMAPC_EXPECT_LIBRARY} ${LIB_DIR})
run("pytest" ${PYTHON} -m pytest -q -p no:cacheprovider -rs ${WORK}/src/tests)
