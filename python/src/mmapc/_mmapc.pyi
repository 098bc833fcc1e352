# SPDX-License-Identifier: MIT
"""Type hints of the C extension (see the docstrings of each call)."""
from typing import Iterator, Optional, Union, Protocol

class _HasFileno(Protocol):
    def fileno(self) -> int: ...

_File = Union[int, _HasFileno]

class Error(OSError):
    code: int
    name: str
    os_error: int
    done: Optional[int]
    data: bytes  # set by Map.read() on MMAPC_EIO: the bytes copied before the fault

class Usage(tuple):
    known: int
    size: Optional[int]
    kernel_page_size: Optional[int]
    mmu_page_size: Optional[int]
    rss: Optional[int]
    pss: Optional[int]
    pss_dirty: Optional[int]
    pss_anon: Optional[int]
    pss_file: Optional[int]
    pss_shmem: Optional[int]
    shared_clean: Optional[int]
    shared_dirty: Optional[int]
    private_clean: Optional[int]
    private_dirty: Optional[int]
    referenced: Optional[int]
    anonymous: Optional[int]
    ksm: Optional[int]
    lazy_free: Optional[int]
    anon_huge_pages: Optional[int]
    shmem_pmd_mapped: Optional[int]
    file_pmd_mapped: Optional[int]
    shared_hugetlb: Optional[int]
    private_hugetlb: Optional[int]
    swap: Optional[int]
    swap_pss: Optional[int]
    locked: Optional[int]
    resident_shared: Optional[int]
    resident_private: Optional[int]
    thp_eligible: Optional[bool]
    protection_key: Optional[int]
    vm_flags: Optional[int]

class Area(tuple):
    start: int
    end: int
    allocation_base: int
    prot: int
    shared: bool
    kind: int
    kind_name: str
    path: str
    path_len: int
    deleted: bool
    offset: int
    dev_major: int
    dev_minor: int
    inode: int
    usage: Optional[Usage]
    build_id: Optional[bytes]

class AreasIterator(Iterator[Area]):
    def __next__(self) -> Area: ...

class Process:
    pid: int
    closed: bool
    direct: bool
    def __init__(self, pid: Optional[int] = None, text: bool = False) -> None: ...
    def areas(self, *, usage: bool = False, build_ids: bool = False, start: int = 0,
              end: int = 2**64 - 1) -> AreasIterator: ...
    def query(self, addr: int, *, usage: bool = False) -> Area: ...
    def read(self, addr: int, n: int) -> bytes: ...
    def write(self, addr: int, data: bytes) -> int: ...
    def usage_totals(self) -> Usage: ...
    def build_id(self, addr: int) -> bytes: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Process": ...
    def __exit__(self, *args: object) -> None: ...

class Map:
    size: int
    address: int
    prot: int
    flags: int
    offset: int
    is_file: bool
    page_size: int
    capacity: int
    closed: bool
    def __len__(self) -> int: ...
    def __buffer__(self, flags: int) -> memoryview: ...
    def read(self, offset: int = 0, n: Optional[int] = None) -> bytes: ...
    def write(self, offset: int, data: bytes) -> int: ...
    def protect(self, prot: int) -> None: ...
    def flush(self, start: int = 0, end: Optional[int] = None, *, wait: bool = True) -> None: ...
    def resize(self, new_size: int, *, may_move: bool = False) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Map": ...
    def __exit__(self, *args: object) -> None: ...

def areas(pid: Optional[int] = None, *, usage: bool = False,
          build_ids: bool = False) -> AreasIterator: ...
def query(addr: int, pid: Optional[int] = None, *, usage: bool = False) -> Area: ...
def map_anon(size: int, prot: int = ..., *, flags: int = 0, unsafe_flags: int = 0,
             capacity: int = 0) -> Map: ...
def map_file(file: _File, size: int, offset: int = 0, prot: int = ..., *, shared: bool = False,
             flags: int = 0, resizable: bool = False, capacity: int = 0,
             unsafe_flags: int = 0) -> Map: ...
def map_file_whole(file: _File, offset: int = 0, prot: int = ..., *, shared: bool = False,
                   flags: int = 0, unsafe_flags: int = 0) -> Map: ...
def strerror(code: int) -> str: ...
def err_name(code: int) -> str: ...
def page_size() -> int: ...
def allocation_granularity() -> int: ...
def page_sizes() -> tuple[int, ...]: ...
def vm_flag_name(flag: int) -> Optional[str]: ...

LIBRARY_VERSION: str
HEADER_VERSION: str
SELF: int
PROT_NONE: int
PROT_READ: int
PROT_WRITE: int
PROT_EXEC: int
PROT_RW: int
PROT_RX: int
PROT_RWX: int
SHARED: int
POPULATE: int
NO_RESERVE: int
HUGE_PAGES: int
TRANSPARENT_HUGE_PAGES: int
STACK: int
NO_CORE_DUMP: int
LOCKED: int
SEQUENTIAL: int
RANDOM_ACCESS: int
WILL_NEED: int
DONT_NEED: int
FIXED_NOREPLACE: int
TRACK_WRITES: int
UNSAFE_FIXED: int
UNSAFE_JIT: int
AREA_ANON: int
AREA_FILE: int
AREA_HEAP: int
AREA_STACK: int
AREA_VDSO: int
AREA_VVAR: int
AREA_VSYSCALL: int
AREA_ANON_NAMED: int
AREA_ANON_SHMEM: int
AREA_OTHER_PSEUDO: int
USAGE_THP_ELIGIBLE: int
USAGE_PROTECTION_KEY: int
USAGE_VM_FLAGS: int
VM_READ: int
VM_WRITE: int
VM_EXEC: int
VM_SHARED: int
VM_MAYREAD: int
VM_MAYWRITE: int
VM_MAYEXEC: int
VM_MAYSHARE: int
VM_GROWSDOWN: int
VM_PFNMAP: int
VM_DENYWRITE: int
VM_LOCKED: int
VM_IO: int
VM_SEQ_READ: int
VM_RAND_READ: int
VM_DONTCOPY: int
VM_DONTEXPAND: int
VM_ACCOUNT: int
VM_NORESERVE: int
VM_HUGETLB: int
VM_SYNC: int
VM_NONLINEAR: int
VM_ARCH_1: int
VM_WIPEONFORK: int
VM_DONTDUMP: int
VM_SOFTDIRTY: int
VM_MIXEDMAP: int
VM_HUGEPAGE: int
VM_NOHUGEPAGE: int
VM_MERGEABLE: int
VM_UFFD_MISSING: int
VM_UFFD_WP: int
VM_MPX: int
VM_ARM64_BTI: int
VM_ARM64_MTE: int
VM_UFFD_MINOR: int
VM_SHADOW_STACK: int
VM_SEALED: int
VM_LOCKONFAULT: int
VM_DROPPABLE: int
VM_MAYBE_GUARD: int
