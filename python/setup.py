# SPDX-License-Identifier: MIT
"""Build of the C extension mmapc._mmapc against libmmapc.

Where the library comes from:
- MMAPC_LIB_DIR (and MMAPC_INCLUDE_DIR) set: that directory's libmmapc.so, e.g. a build tree's
  (the tests do this); the extension gets an rpath to it, so it loads that library and no other.
- otherwise pkg-config's mmapc (the installed library: libmmapc-dev, or `cmake --install`),
  found through the loader's usual path at run time.
"""
import os
import re
import shlex
import subprocess

from setuptools import Extension, setup


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args, "mmapc"], check=True, capture_output=True,
                             text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(
            "mmapc: libmmapc not found: install libmmapc-dev (make package) or the library "
            "(cmake --install) with its pkg-config file, or set MMAPC_LIB_DIR and "
            f"MMAPC_INCLUDE_DIR to a build tree ({e})")
    return shlex.split(out)


here = os.path.dirname(os.path.abspath(__file__))
lib_dir = os.environ.get("MMAPC_LIB_DIR")
if lib_dir:
    include_dir = os.environ.get("MMAPC_INCLUDE_DIR", os.path.join(here, "..", "include"))
    cflags = ["-I" + include_dir]
    ldflags = ["-L" + lib_dir, "-lmmapc", "-Wl,-rpath," + os.path.abspath(lib_dir)]
else:
    cflags = pkg_config("--cflags")
    ldflags = pkg_config("--libs")
    include_dir = next((f[2:] for f in cflags if f.startswith("-I")), "/usr/include")

# The version is the header's, as for every other part of mmapc.
with open(os.path.join(include_dir, "mmapc.h"), encoding="utf-8") as header:
    version = re.search(r'^#define MMAPC_VERSION_STRING "([0-9.]+)"', header.read(), re.M)[1]

extension = Extension(
    "mmapc._mmapc",
    sources=["src/mmapc/_mmapc.c"],
    extra_compile_args=cflags + ["-std=c11", "-Wall", "-Wextra", "-Werror"],
    extra_link_args=ldflags,
)

setup(version=version, package_dir={"": "src"}, packages=["mmapc"],
      package_data={"mmapc": ["py.typed", "*.pyi"]},
      include_package_data=False, ext_modules=[extension])
