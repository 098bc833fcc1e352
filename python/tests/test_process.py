# SPDX-License-Identifier: MIT
"""Areas, queries, usage, build IDs and memory of this process and of a child with known
mappings; the errors of a process that is gone, of bad addresses and of closed handles."""
import os
import subprocess
import sys

import pytest

import mmapc
from conftest import PAGE, open_fds


def by_start(areas):
    return {a.start: a for a in areas}


def test_areas_of_a_child(child, no_fd_leak):
    st = os.stat(child.path)
    areas = list(mmapc.areas(child.pid))
    assert all(a.end <= b.start for a, b in zip(areas, areas[1:]))  # ascending, disjoint
    found = by_start(areas)
    anon = found[child.addr["anon"]]
    assert (anon.end, anon.prot, anon.shared, anon.kind, anon.kind_name, anon.path) == \
        (child.addr["anon"] + 5 * PAGE, mmapc.PROT_RW, False, mmapc.AREA_ANON, "anon", "")
    f = found[child.addr["fmap"]]
    assert (f.end, f.prot, f.shared, f.kind, f.path, f.path_len, f.offset, f.inode, f.deleted) == \
        (child.addr["fmap"] + 2 * PAGE, mmapc.PROT_READ, False, mmapc.AREA_FILE,
         child.path, len(os.fsencode(child.path)), PAGE, st.st_ino, False)
    assert (f.dev_major, f.dev_minor) == (os.major(st.st_dev), os.minor(st.st_dev))
    shared = found[child.addr["shared"]]
    assert (shared.end, shared.shared, shared.prot) == (child.addr["shared"] + 3 * PAGE, True,
                                                        mmapc.PROT_RW)
    assert mmapc.query(child.addr["none"], child.pid).prot == mmapc.PROT_NONE
    assert any(a.kind == mmapc.AREA_STACK and a.path == "[stack]" for a in areas)
    # the same as a query, and as the same listing through a Process
    assert mmapc.query(child.addr["fmap"] + 5, child.pid) == f
    with mmapc.Process(child.pid) as p:
        assert list(p.areas()) == areas
        assert list(p.areas(start=f.start, end=f.end)) == [f]
        assert p.query(f.start) == f
        assert p.build_id(f.start) == b""  # a data file has none
        assert p.query(f.start, usage=True).usage.rss == 2 * PAGE


def test_usage_of_a_child(child):
    child.stop()
    try:
        found = by_start(mmapc.areas(child.pid, usage=True))
        anon = found[child.addr["anon"]]
        u = anon.usage
        assert (u.size, u.rss, u.private_dirty, u.anonymous, u.swap, u.shared_clean) == \
            (5 * PAGE, 5 * PAGE, 5 * PAGE, 5 * PAGE, 0, 0)
        assert u.known & mmapc.USAGE_RSS and u.vm_flags & mmapc.VM_READ and \
            u.vm_flags & mmapc.VM_WRITE and not u.vm_flags & mmapc.VM_EXEC
        shared = found[child.addr["shared"]].usage
        assert shared.rss == 3 * PAGE and shared.vm_flags & mmapc.VM_SHARED
        with mmapc.Process(child.pid) as p:
            totals = p.usage_totals()
            assert totals.rss >= sum(a.usage.rss for a in found.values()) - 64 * PAGE
            assert totals.rss > 5 * PAGE and totals.pss_anon is not None
            assert totals.size is None  # smaps_rollup has no Size
    finally:
        child.cont()


def test_read_and_write_a_childs_memory(child):
    anon = child.addr["anon"]
    with mmapc.Process(child.pid) as p:
        assert p.read(anon, 12) == b"child memory"
        assert p.write(anon, b"CHILD") == 5
        assert child.peek(anon, 12) == b"CHILD memory"  # as the child itself reads it
        # a read stops at the PROT_NONE page after the area, exactly
        assert p.read(anon + 5 * PAGE - 3, 10) == bytes([0x45]) * 3
        # a write stops at the read-only file mapping: nothing written there
        assert p.write(child.addr["fmap"], b"no") == 0
        assert child.peek(child.addr["fmap"], 2) == bytes(range(2))
        assert p.read(child.addr["none"], 4) == b""
        assert p.read(anon, 0) == b""
        with pytest.raises(ValueError):
            p.read(anon, -1)
        with pytest.raises(ValueError):
            p.read(-anon, 1)


def test_this_process(no_fd_leak):
    data = b"own memory"
    with mmapc.map_anon(PAGE, flags=mmapc.NO_CORE_DUMP) as m:  # merges with no neighbour
        m.write(0, b"own memory")
        with mmapc.Process() as p:
            assert p.pid == 0 and not p.closed
            assert p.read(m.address, 10) == data
            assert p.write(m.address, b"OWN") == 3
            assert m.read(0, 10) == b"OWN memory"
            area = p.query(m.address)
            assert (area.start, area.end, area.prot) == (m.address, m.address + PAGE,
                                                         mmapc.PROT_RW)
            libs = [a for a in p.areas(build_ids=True) if a.kind == mmapc.AREA_FILE]
            # the interpreter or libc has a GNU build ID, the same as a query of it gives
            with_id = [a for a in libs if a.build_id]
            assert with_id and all(len(a.build_id) == 20 for a in with_id)
            assert p.build_id(with_id[0].start) == with_id[0].build_id
            assert all(a.usage is None for a in libs)


def test_gone_process_is_esrch(no_fd_leak):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    pid = proc.pid
    with mmapc.Process(pid) as p:
        proc.wait()
        with pytest.raises(mmapc.Error) as e:
            p.query(0x10000)
        assert e.value.code == mmapc.ESRCH
    for call in (lambda: mmapc.areas(pid), lambda: mmapc.query(0x10000, pid),
                 lambda: mmapc.Process(pid), lambda: list(mmapc.areas(pid, usage=True))):
        with pytest.raises(mmapc.Error) as e:
            call()
        err = e.value
        assert (err.code, err.name) == (mmapc.ESRCH, "MMAPC_ESRCH")
        assert str(err).endswith("MMAPC_ESRCH: " + mmapc.strerror(mmapc.ESRCH))
        assert isinstance(err, OSError) and err.os_error == err.errno != 0


def test_bad_addresses_and_pids(no_fd_leak):
    with pytest.raises(mmapc.Error) as e:
        mmapc.query(0)
    assert (e.value.code, e.value.name) == (mmapc.ENOTFOUND, "MMAPC_ENOTFOUND")
    with pytest.raises(ValueError, match="negative"):
        mmapc.query(-4096)
    with pytest.raises(OverflowError):
        mmapc.query(1 << 64)
    with pytest.raises(mmapc.Error) as e:
        mmapc.Process(-5)
    assert e.value.code == mmapc.EINVAL_ARG
    with pytest.raises(TypeError):
        mmapc.areas("self")
    with pytest.raises(mmapc.Error) as e:
        mmapc.Process().build_id(0)
    assert e.value.code == mmapc.ENOTFOUND
    with pytest.raises(mmapc.Error) as e:
        list(mmapc.Process().areas(start=10, end=5))
    assert e.value.code == mmapc.EINVAL_OFFSET


def test_closed_process():
    p = mmapc.Process()
    it = p.areas()
    with pytest.raises(BufferError, match="iteration"):
        p.close()  # an iteration still reads through it
    next(it)
    del it
    p.close()
    assert p.closed and "closed" in repr(p)
    for call in (p.areas, lambda: p.query(0), lambda: p.read(0, 1), lambda: p.write(0, b""),
                 p.usage_totals, lambda: p.build_id(0), lambda: p.direct, p.__enter__):
        with pytest.raises(ValueError, match="closed"):
            call()
    p.close()


def test_iterations_close_their_descriptors():
    before = open_fds()
    it = mmapc.areas(usage=True)
    next(it)
    assert len(open_fds()) > len(before)  # the process is open while the iteration is
    del it
    assert open_fds() == before
    for a in mmapc.areas():
        pass
    list(mmapc.areas(build_ids=True))
    mmapc.query(id(before), usage=True)
    with mmapc.Process() as p:
        list(p.areas(usage=True))
    assert open_fds() == before


def test_constants_and_facts():
    assert mmapc.page_size() == PAGE == mmapc.page_sizes()[0]
    assert mmapc.allocation_granularity() == PAGE
    assert mmapc.vm_flag_name(mmapc.VM_READ) == "rd" and mmapc.vm_flag_name(3) is None
    assert mmapc.err_name(mmapc.EIO) == "MMAPC_EIO" and mmapc.err_name(0) == "MMAPC_OK"
    assert mmapc.PROT_RW == mmapc.PROT_READ | mmapc.PROT_WRITE
    assert mmapc.__version__ == mmapc.LIBRARY_VERSION == mmapc.HEADER_VERSION
    assert issubclass(mmapc.Error, OSError)
    # the library loaded is the one the tests were built against
    expect = os.environ.get("MMAPC_EXPECT_LIBRARY")
    if expect:
        maps = open("/proc/self/maps").read()
        assert os.path.join(os.path.realpath(expect), "libmmapc.so") in maps


def test_the_package_docstring_example_runs():
    import doctest
    result = doctest.testmod(mmapc)
    assert result.attempted >= 2 and result.failed == 0
