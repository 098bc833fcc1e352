# SPDX-License-Identifier: MIT
# `pip install` as a user does it, offline, with what Debian packages: a venv that sees the
# system's setuptools, pip with no index and no build isolation, the package copied first so
# that the source tree gets no build files. The installed package is then imported from the
# venv (not from the source) and used.
# cmake -DPYTHON= -DSOURCE_DIR= -DINCLUDE_DIR= -DLIB_DIR= -DCC= -DWORK= -P pip.cmake
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
run("python3 -m venv" ${PYTHON} -m venv --system-site-packages ${WORK}/venv)
run("pip install" ${WORK}/venv/bin/python -m pip install -q --no-build-isolation --no-index ${WORK}/src)
run("the installed package" ${WORK}/venv/bin/python -c [=[
import mmapc, os, sys
where = os.path.realpath(mmapc.__file__)
assert where.startswith(os.path.realpath(sys.prefix)), f"imported from {where}, not the venv"
assert mmapc.__version__ == mmapc.LIBRARY_VERSION, (mmapc.__version__, mmapc.LIBRARY_VERSION)
with mmapc.map_anon(4096) as m:
    with memoryview(m) as v:
        v[:3] = b"pip"
    assert m.read(0, 3) == b"pip"
    area = mmapc.query(m.address)
    assert (area.start, area.prot) == (m.address, mmapc.PROT_RW), area
print(f"mmapc {mmapc.__version__} installed in the venv: {where}")
]=])
run("pip uninstall" ${WORK}/venv/bin/python -m pip uninstall -q -y mmapc)
