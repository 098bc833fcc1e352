# SPDX-License-Identifier: MIT
"""Mappings: the buffer protocol over the mapping's memory, guarded copies, protect, flush,
resize, close, and the errors of each."""
import ctypes
import faulthandler
import os
import signal

import pytest

import mmapc
from conftest import PAGE


def test_memoryview_is_the_mapping_memory_without_copy(no_fd_leak):
    with mmapc.map_anon(3 * PAGE) as m:
        assert len(m) == m.size == 3 * PAGE
        with memoryview(m) as v:
            assert (v.nbytes, v.readonly, v.format, v.contiguous) == (3 * PAGE, False, "B", True)
            # the buffer's address is the mapping's
            assert ctypes.addressof(ctypes.c_char.from_buffer(v)) == m.address
            v[PAGE - 2:PAGE + 3] = b"hello"  # across a page boundary
            assert m.read(PAGE - 2, 5) == b"hello"
            m.write(2 * PAGE, b"world")
            assert bytes(v[2 * PAGE:2 * PAGE + 5]) == b"world"
            assert bytes(v[:4]) == b"\0\0\0\0"  # anonymous memory is zero-filled


def test_buffer_error_while_exported():
    m = mmapc.map_anon(PAGE, capacity=4 * PAGE)
    v = memoryview(m)
    v2 = memoryview(m)
    for call in (m.close, lambda: m.resize(2 * PAGE), lambda: m.protect(mmapc.PROT_READ)):
        with pytest.raises(BufferError, match="exported"):
            call()
    # nothing changed: still open, same size, same protection, memory usable
    assert (m.closed, m.size, m.prot) == (False, PAGE, mmapc.PROT_RW)
    v[0] = 7
    v.release()
    with pytest.raises(BufferError):  # one view is still out
        m.close()
    v2.release()
    m.resize(2 * PAGE)
    assert m.size == 2 * PAGE and m.read(0, 1) == b"\x07"
    m.protect(mmapc.PROT_READ)
    m.close()
    assert m.closed
    m.close()  # twice is fine


def test_readonly_and_inaccessible_mappings_export_accordingly():
    with mmapc.map_anon(PAGE, prot=mmapc.PROT_READ) as m:
        with memoryview(m) as v:
            assert v.readonly
            with pytest.raises(TypeError):
                v[0] = 1
        assert m.read(0, 2) == b"\0\0"
        with pytest.raises(mmapc.Error) as e:
            m.write(0, b"x")
        assert e.value.name == "MMAPC_EACCES"
    with mmapc.map_anon(PAGE, prot=mmapc.PROT_NONE) as m:
        with pytest.raises(BufferError, match="not readable"):
            memoryview(m)
        with pytest.raises(mmapc.Error) as e:
            m.read(0, 1)
        assert e.value.code == mmapc.EACCES


def _dies_writing(addr):
    """Fork a child that writes one byte at addr; its wait status."""
    pid = os.fork()
    if pid == 0:
        faulthandler.disable()  # die by the signal itself, silently
        ctypes.memset(addr, 1, 1)
        os._exit(0)
    return os.waitpid(pid, 0)[1]


def test_protect_really_changes_the_protection():
    # left out of core dumps, so that it merges with no neighbour whatever its protection
    with mmapc.map_anon(2 * PAGE, flags=mmapc.NO_CORE_DUMP) as m:
        assert mmapc.query(m.address).prot == mmapc.PROT_RW
        status = _dies_writing(m.address)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        m.protect(mmapc.PROT_READ)
        assert m.prot == mmapc.PROT_READ
        area = mmapc.query(m.address + PAGE)
        assert (area.start, area.end, area.prot) == (m.address, m.address + 2 * PAGE,
                                                     mmapc.PROT_READ)
        status = _dies_writing(m.address)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV
        with memoryview(m) as v:
            assert v.readonly


def test_refused_protect_changes_nothing():
    with mmapc.map_anon(PAGE) as m:
        m.write(0, b"keep")
        with pytest.raises(mmapc.Error) as e:
            m.protect(mmapc.PROT_RWX)  # RWX needs the JIT flag
        assert (e.value.code, e.value.name) == (mmapc.EUNSAFE_FLAG, "MMAPC_EUNSAFE_FLAG")
        with pytest.raises(mmapc.Error) as e:
            m.protect(8)
        assert e.value.code == mmapc.EINVAL_ARG
        assert m.prot == mmapc.PROT_RW == mmapc.query(m.address).prot
        assert m.read(0, 4) == b"keep"


def test_file_mapping_shared_writes_reach_the_file(tmp_path, no_fd_leak):
    path = tmp_path / "f"
    path.write_bytes(b"a" * (3 * PAGE))
    with open(path, "r+b") as f:
        m = mmapc.map_file(f, 2 * PAGE, PAGE, mmapc.PROT_RW, shared=True)
    with m:
        assert (m.size, m.offset, m.is_file) == (2 * PAGE, PAGE, True)
        with memoryview(m) as v:
            v[:5] = b"HELLO"
        m.write(2 * PAGE - 3, b"END")
        m.flush()
        m.flush(0, 5, wait=False)
        with pytest.raises(mmapc.Error) as e:
            m.flush(0, 2 * PAGE + 1)
        assert e.value.code == mmapc.EINVAL_OFFSET
    data = path.read_bytes()
    assert data[PAGE:PAGE + 5] == b"HELLO" and data[3 * PAGE - 3:] == b"END"
    assert data[:PAGE] == b"a" * PAGE


def test_private_file_mapping_and_whole_file(tmp_path, no_fd_leak):
    path = tmp_path / "f"
    path.write_bytes(b"0123456789" * 1000)
    fd = os.open(path, os.O_RDONLY)
    try:
        with mmapc.map_file_whole(fd) as m:
            assert m.size == 10000 and m.read(9990) == b"0123456789"
            with memoryview(m) as v:
                assert v.readonly and bytes(v[-10:]) == b"0123456789"
        with mmapc.map_file_whole(fd, 10000) as m:  # at the end: an empty mapping
            assert m.size == 0 and m.read() == b""
            with memoryview(m) as v:
                assert v.nbytes == 0
        with pytest.raises(mmapc.Error) as e:
            mmapc.map_file_whole(fd, 10001)
        assert e.value.code == mmapc.EINVAL_OFFSET
        with pytest.raises(mmapc.Error) as e:
            mmapc.map_file(fd, 10001)  # past the end of the file
        assert e.value.code == mmapc.EINVAL_SIZE
        with pytest.raises(mmapc.Error) as e:  # shared writable needs a file open for writing
            mmapc.map_file(fd, 100, prot=mmapc.PROT_RW, shared=True)
        assert e.value.code == mmapc.EACCES
    finally:
        os.close(fd)


def test_truncated_file_gives_eio_with_the_exact_count(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x" * (3 * PAGE))
    with open(path, "r+b") as f:
        m = mmapc.map_file(f, 3 * PAGE, prot=mmapc.PROT_RW, shared=True)
        os.truncate(f.fileno(), PAGE + 100)
    with m:
        # the page holding the new end is still there (zeros past the end), the next is not
        with pytest.raises(mmapc.Error) as e:
            m.read(0, 3 * PAGE)
        err = e.value
        assert (err.code, err.name, err.done) == (mmapc.EIO, "MMAPC_EIO", 2 * PAGE)
        assert err.data == b"x" * (PAGE + 100) + b"\0" * (PAGE - 100)
        assert isinstance(err, OSError) and mmapc.strerror(mmapc.EIO) in str(err)
        with pytest.raises(mmapc.Error) as e:
            m.write(PAGE, b"y" * (2 * PAGE))
        assert (e.value.code, e.value.done) == (mmapc.EIO, PAGE)
        assert m.read(PAGE, 4) == b"yyyy"


def test_resize(tmp_path):
    with mmapc.map_anon(PAGE, capacity=8 * PAGE) as m:
        start = m.address
        m.write(0, b"kept")
        m.resize(6 * PAGE)
        assert (m.address, m.size, m.read(0, 4)) == (start, 6 * PAGE, b"kept")
        assert mmapc.query(start + 5 * PAGE).end >= start + 6 * PAGE
        with pytest.raises(mmapc.Error) as e:
            m.resize(0)
        assert e.value.code == mmapc.EINVAL_SIZE and m.size == 6 * PAGE
    path = tmp_path / "f"
    path.write_bytes(b"z" * 100)
    with open(path, "r+b") as f:
        fixed = mmapc.map_file(f, 100, prot=mmapc.PROT_RW, shared=True)
        grows = mmapc.map_file(f, 100, prot=mmapc.PROT_RW, shared=True, resizable=True)
    with fixed, grows:
        with pytest.raises(mmapc.Error) as e:
            fixed.resize(200)  # a file mapping that keeps no file
        assert e.value.code == mmapc.EINVAL_OP
        grows.resize(3 * PAGE, may_move=True)
        grows.write(3 * PAGE - 1, b"!")
        assert os.path.getsize(path) == 3 * PAGE


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="negative"):
        mmapc.map_anon(-1)
    with pytest.raises(mmapc.Error) as e:
        mmapc.map_anon(0)
    assert (e.value.code, e.value.name) == (mmapc.EINVAL_SIZE, "MMAPC_EINVAL_SIZE")
    assert e.value.os_error == 0 and e.value.errno is None
    with pytest.raises(mmapc.Error) as e:
        mmapc.map_anon(PAGE, mmapc.PROT_RWX)
    assert e.value.code == mmapc.EUNSAFE_FLAG
    with pytest.raises(mmapc.Error) as e:
        mmapc.map_anon(PAGE, flags=1 << 30)
    assert e.value.code == mmapc.EINVAL_ARG
    with pytest.raises(mmapc.Error) as e:
        mmapc.map_file(987654, PAGE)  # not an open descriptor
    assert e.value.code == mmapc.EBADF and e.value.errno == 9  # EBADF
    with pytest.raises(TypeError):
        mmapc.map_file("not a file", PAGE)
    with mmapc.map_anon(PAGE) as m:
        m.write(0, b"same")
        for call, exc in ((lambda: m.read(-1, 1), ValueError), (lambda: m.read(0, -2), ValueError),
                          (lambda: m.write(-5, b"x"), ValueError),
                          (lambda: m.write(0, "text"), TypeError)):
            with pytest.raises(exc):
                call()
        with pytest.raises(mmapc.Error) as e:
            m.read(PAGE - 1, 2)
        assert e.value.code == mmapc.EINVAL_OFFSET and e.value.done is None
        with pytest.raises(mmapc.Error) as e:
            m.read(PAGE + 1)
        assert e.value.code == mmapc.EINVAL_OFFSET
        with pytest.raises(mmapc.Error) as e:
            m.write(PAGE, b"x")
        assert e.value.code == mmapc.EINVAL_OFFSET
        assert m.read(0, 4) == b"same"


def test_closed_mapping():
    m = mmapc.map_anon(PAGE)
    address = m.address
    m.close()
    assert "closed" in repr(m)
    with pytest.raises(mmapc.Error) as e:
        mmapc.query(address)  # really unmapped
    assert e.value.code == mmapc.ENOTFOUND
    for call in (lambda: memoryview(m), lambda: m.read(0, 1), lambda: m.write(0, b"x"),
                 lambda: m.protect(mmapc.PROT_READ), m.flush, lambda: m.resize(PAGE),
                 lambda: m.size, lambda: len(m), lambda: m.__enter__()):
        with pytest.raises(ValueError, match="closed"):
            call()


def test_no_descriptor_left_behind(tmp_path, no_fd_leak):
    path = tmp_path / "f"
    path.write_bytes(b"q" * PAGE)
    with open(path, "r+b") as f:
        maps = [mmapc.map_file(f, PAGE, prot=mmapc.PROT_RW, shared=True, resizable=True),
                mmapc.map_file_whole(f), mmapc.map_anon(PAGE)]
    for m in maps:
        m.close()
    del maps
    grows = None
    with open(path, "r+b") as f:
        grows = mmapc.map_file(f, PAGE, prot=mmapc.PROT_RW, shared=True, resizable=True)
    del grows  # the duplicate it keeps goes with it
