# SPDX-License-Identifier: MIT
"""mmapc: safe memory mappings and the memory areas of any process, over libmmapc.

A thin binding: each call is the C library's (see mmapc(3)), errors are :class:`Error`
exceptions carrying the MMAPC_E* code, its name, the message and the raw OS error.

>>> import mmapc
>>> with mmapc.map_anon(4096) as m:
...     with memoryview(m) as view:     # the mapping's memory, no copy
...         view[:5] = b"hello"
...     m.read(0, 5)                    # a guarded copy
b'hello'
"""
from ._mmapc import *  # noqa: F401,F403  (constants, Error, Area, Usage, Process, Map...)
from ._mmapc import (Area, AreasIterator, Error, Map, Process, Usage, areas, map_anon,
                     map_file, map_file_whole, query, LIBRARY_VERSION, HEADER_VERSION)

__version__ = HEADER_VERSION

__all__ = [name for name in dir() if not name.startswith("_") and name not in ("annotations",)]
