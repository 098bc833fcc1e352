# SPDX-License-Identifier: MIT
"""The areas and figures mmapc gives against psutil's Process.memory_maps(grouped=False), on a
stopped child and on mappings of this process.

psutil reads /proc/PID/smaps in Python: its path is the text after the inode, "[anon]" for an
area without a name, with " (deleted)" cut off when no file has the name; its figures are the kB
of smaps times 1024. A stopped child's figures still change: the Pss, Shared_* and Private_* of
each page it shares (libc, ld.so, libm, Python's own libraries) follow how many processes map
that page, which any process starting or ending anywhere on the system moves. The two listings
are compared once mmapc's, psutil's and mmapc's again are equal: two equal listings of mmapc
around psutil's are not enough, as a process that starts and ends while psutil reads changes the
figures psutil sees and leaves mmapc's equal."""
import os
import time

import psutil

import mmapc
from conftest import PAGE

FIGURES = ("rss", "size", "pss", "shared_clean", "shared_dirty", "private_clean", "private_dirty",
           "referenced", "anonymous", "swap")


def psutil_path(area):
    if area.kind == mmapc.AREA_ANON:
        return "[anon]"
    return area.path


def mmapc_rows(pid):
    rows = {}
    for a in mmapc.areas(pid, usage=True):
        rows[a.start] = (a.end, psutil_path(a), tuple(getattr(a.usage, f) for f in FIGURES))
    return rows


def psutil_rows(pid):
    rows = {}
    for m in psutil.Process(pid).memory_maps(grouped=False):
        start, end = (int(x, 16) for x in m.addr.split("-"))
        rows[start] = (end, m.path, tuple(getattr(m, f) for f in FIGURES))
    return rows


def stable_readings(pid, seconds=60):
    """mmapc, psutil, mmapc again, until the three agree. Past the time given, the last of them
    in which mmapc's two agree, for the assertions to show how psutil's differs."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        first, theirs, second = mmapc_rows(pid), psutil_rows(pid), mmapc_rows(pid)
        if first == second:
            if theirs == first:
                return first, theirs
            last = first, theirs
    if last is None:
        raise AssertionError("the process kept changing")
    return last


def test_every_area_of_a_stopped_child_matches_psutil(child):
    child.stop()
    try:
        ours, theirs = stable_readings(child.pid)
    finally:
        child.cont()
    assert len(theirs) > 20
    assert set(ours) == set(theirs)
    for start, row in theirs.items():
        assert ours[start] == row, f"area at {start:#x}"
    # the child's own mappings are among them, with the figures expected
    assert theirs[child.addr["anon"]] == (child.addr["anon"] + 5 * PAGE, "[anon]",
                                          (5 * PAGE, 5 * PAGE, 5 * PAGE, 0, 0, 0, 5 * PAGE,
                                           5 * PAGE, 5 * PAGE, 0))
    assert theirs[child.addr["fmap"]][1] == child.path


def test_this_process_mappings_match_psutil(tmp_path):
    path = tmp_path / "file"
    path.write_bytes(os.urandom(4 * PAGE))
    with open(path, "rb") as f:
        fmap = mmapc.map_file(f, 3 * PAGE, PAGE)
    # not merged with a neighbour: no other anonymous area is left out of core dumps
    with fmap, mmapc.map_anon(6 * PAGE, flags=mmapc.NO_CORE_DUMP) as anon:
        fmap.read(0, 2 * PAGE)  # two of its three pages resident (or three: fault-around)
        anon.write(0, b"x" * (4 * PAGE + 1))  # five of six pages dirty
        mine = {fmap.address, anon.address}
        theirs = {s: r for s, r in psutil_rows(os.getpid()).items() if s in mine}
        ours = {s: r for s, r in mmapc_rows(None).items() if s in mine}
        assert ours == theirs and len(ours) == 2
        assert theirs[fmap.address][1] == str(path)
        rss, size = theirs[fmap.address][2][:2]
        assert 2 * PAGE <= rss <= size == 3 * PAGE
        assert theirs[anon.address][2][0] == 5 * PAGE
