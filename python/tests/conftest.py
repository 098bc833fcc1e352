# SPDX-License-Identifier: MIT
"""Shared helpers: a child process with known mappings, and the count of open descriptors."""
import json
import os
import signal
import subprocess
import sys

import pytest

PAGE = os.sysconf("SC_PAGE_SIZE")

# The child maps, through libc (not mmapc): 7 PROT_NONE pages with the middle 5 made read-write
# and touched (so the read-write area is exactly those 5 pages, whatever lies around), 2 pages
# of a file from offset PAGE read-only, and 3 pages of shared anonymous memory. It prints their
# addresses as JSON, then for each line "ADDR N" on its stdin the hex of its N bytes at ADDR.
CHILD = r"""
import ctypes, json, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                      ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
PAGE = os.sysconf("SC_PAGE_SIZE")
fd = os.open(sys.argv[1], os.O_RDONLY)
base = libc.mmap(None, 7 * PAGE, 0, 0x22, -1, 0)  # PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS
assert base not in (None, ctypes.c_void_p(-1).value)
anon = base + PAGE
assert libc.mprotect(anon, 5 * PAGE, 3) == 0
for i in range(5):
    ctypes.memset(anon + i * PAGE, 0x41 + i, PAGE)
ctypes.memmove(anon, b"child memory", 12)
fmap = libc.mmap(None, 2 * PAGE, 1, 0x02, fd, PAGE)  # PROT_READ, MAP_PRIVATE, from PAGE
ctypes.string_at(fmap, 2 * PAGE)
shared = libc.mmap(None, 3 * PAGE, 3, 0x21, -1, 0)  # MAP_SHARED | MAP_ANONYMOUS
ctypes.memset(shared, 1, 3 * PAGE)
print(json.dumps(dict(none=base, anon=anon, fmap=fmap, shared=shared)), flush=True)
for line in sys.stdin:
    addr, n = map(int, line.split())
    print(ctypes.string_at(addr, n).hex(), flush=True)
"""


class Child:
    """The child above: .pid, .addr (its mappings), .path (its file), .peek(addr, n)."""

    def __init__(self, tmp_path):
        self.path = str(tmp_path / "child-file")
        with open(self.path, "wb") as f:
            f.write(bytes(range(256)) * (4 * PAGE // 256))
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD, self.path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.pid = self.proc.pid
        self.addr = json.loads(self.proc.stdout.readline())

    def peek(self, addr, n):
        """The child's own reading of its memory."""
        self.proc.stdin.write(f"{addr} {n}\n")
        self.proc.stdin.flush()
        return bytes.fromhex(self.proc.stdout.readline().strip())

    def stop(self):
        os.kill(self.pid, signal.SIGSTOP)
        # stopped for sure once /proc says so
        while open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()[0] != "T":
            pass

    def cont(self):
        os.kill(self.pid, signal.SIGCONT)

    def end(self):
        if self.proc.poll() is None:
            self.cont()
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.fixture
def child(tmp_path):
    c = Child(tmp_path)
    yield c
    c.end()


def open_fds():
    return sorted(os.listdir("/proc/self/fd"))


@pytest.fixture
def no_fd_leak():
    """Fails the test when it leaves a descriptor open."""
    before = open_fds()
    yield
    assert open_fds() == before
