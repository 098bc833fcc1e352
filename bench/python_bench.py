# SPDX-License-Identifier: MIT
"""The Python rows of the benchmark: the mmapc package against psutil on a process with 10,000
areas. Run by bench/run.sh after mmapc_bench, with the package built against the benchmark's
library on PYTHONPATH; the rows are printed like mmapc_bench's and added to its bench.csv,
bench.md and ratios.dat, so that they reach the ratio plot.

usage: python_bench.py [--quick] --out DIR

Method, as for the C rows: each round times one block of each side, in alternating order, with
the same number of operations per block; a row gives each side's median time per operation and
the median of the per-round ratios (mmapc / psutil: a target of <= 0.1 is "at least 10x
faster"). The 10,000 areas belong to a child process, stopped (SIGSTOP) while it is measured so
that both sides read the same listing.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import time

import psutil

import mmapc

# The child maps N pages, makes every other one read-only (so that N / 2 areas of read-write
# memory alternate with N / 2 read-only ones: N areas), touches the writable ones and waits.
CHILD = r"""
import ctypes, mmap, sys
PAGE, N = mmap.PAGESIZE, int(sys.argv[1])
memory = mmap.mmap(-1, N * PAGE)
base = ctypes.addressof(ctypes.c_char.from_buffer(memory))
mprotect = ctypes.CDLL(None).mprotect
mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
for i in range(N // 2):
    memory[2 * i * PAGE] = 1
    if mprotect(base + (2 * i + 1) * PAGE, PAGE, 1) != 0:  # PROT_READ
        sys.exit("mprotect failed")
print(base + 2 * (N // 4) * PAGE, flush=True)  # an area in the middle
sys.stdin.read()
"""


def format_ns(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.3f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.0f} ns"


def measure(ours, theirs, ops_ours, ops_theirs, rounds):
    """Interleaved rounds: (median ns per op of ours, of theirs, median per-round ratio)."""
    t_ours, t_theirs = [], []

    def block(fn, ops):
        t0 = time.perf_counter_ns()
        for _ in range(ops):
            fn()
        return (time.perf_counter_ns() - t0) / ops

    block(ours, ops_ours)  # warm-up
    block(theirs, ops_theirs)
    for k in range(rounds):
        if k % 2:
            t_theirs.append(block(theirs, ops_theirs))
            t_ours.append(block(ours, ops_ours))
        else:
            t_ours.append(block(ours, ops_ours))
            t_theirs.append(block(theirs, ops_theirs))
    ratios = [a / b for a, b in zip(t_ours, t_theirs)]
    return statistics.median(t_ours), statistics.median(t_theirs), statistics.median(ratios)


class Report:
    def __init__(self, out):
        self.out = out

    def row(self, op, param, ours, baseline, base, ratio, target, note):
        limit = float(target.split()[1])
        verdict = "met" if ratio <= limit else "MISSED"
        # a ratio far below 1 keeps its significant digits (and stays above 0 on the log plot)
        a, b = format_ns(ours), format_ns(base)
        q = f"{ratio:.3f}" if ratio >= 0.01 else f"{ratio:.1e}"
        print(f"{op:<30} {param:<9} {a:>11}  {baseline:<26} {b:>11} {q:>7}  {target:<8} "
              f"{verdict:<6} {note}", flush=True)
        if not self.out:
            return
        with open(os.path.join(self.out, "bench.csv"), "a") as f:
            f.write(f'"{op}","{param}",{ours:.1f},"{baseline}",{base:.1f},{ratio:.4g},'
                    f'"{target}","{note}"\n')
        with open(os.path.join(self.out, "bench.md"), "a") as f:
            f.write(f"| {op} | {param} | {a} | {baseline} | {b} | {q} | {target} | {verdict} | "
                    f"{note} |\n")
        with open(os.path.join(self.out, "ratios.dat"), "a") as f:
            f.write(f"{op}, {param} ({baseline})\t{ratio:.4g}\t{limit:g}\t<=\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds (CI: proves it runs)")
    parser.add_argument("--out", help="the results folder of mmapc_bench, to add the rows to")
    args = parser.parse_args()
    rounds = 5 if args.quick else 21
    n = 10000
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(n)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    report = Report(args.out)
    try:
        addr = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGSTOP)
        pid = child.pid
        ps = psutil.Process(pid)
        ours = list(mmapc.areas(pid, usage=True))
        theirs = ps.memory_maps(grouped=False)
        if len(ours) != len(theirs) or len(ours) < n:
            sys.exit(f"python_bench: {len(ours)} areas from mmapc, {len(theirs)} from psutil")
        print(f"python rows: python {sys.version.split()[0]}, psutil {psutil.__version__}, "
              f"mmapc package {mmapc.__version__}; a stopped child with {len(ours)} areas; "
              f"{rounds} rounds")

        def all_areas():
            list(mmapc.areas(pid, usage=True))

        def psutil_all():
            ps.memory_maps(grouped=False)

        def read_smaps():
            with open(f"/proc/{pid}/smaps", "rb") as f:
                f.read()

        t_ours, t_base, ratio = measure(all_areas, psutil_all, 1, 1, rounds)
        report.row("py: all areas with usage", f"N={n}", t_ours, "psutil memory_maps", t_base,
                   ratio, "<= 0.1", f"{t_base / t_ours:.1f}x faster; Area objects, all figures")
        # both sides above pay the kernel's making of the smaps text, which no reader avoids:
        # this row shows how much of mmapc's time that is
        t_ours, t_base, ratio = measure(all_areas, read_smaps, 1, 1, rounds)
        report.row("py: all areas with usage", f"N={n}", t_ours, "read smaps, no parsing", t_base,
                   ratio, "<= 1.2", "the kernel's part of both sides above")

        def one_query():
            mmapc.query(addr, pid)

        # as many queries in a block as take about as long as one listing of psutil's
        per = max(1, int(t_base / max(1.0, measure(one_query, psutil_all, 50, 1, 1)[0])))
        t_ours, t_base, ratio = measure(one_query, psutil_all, per, 1, rounds)
        report.row("py: query one area", f"N={n}", t_ours, "psutil memory_maps", t_base, ratio,
                   "<= 0.01", f"{t_base / t_ours:.0f}x faster; one-shot mmapc.query()")

        with mmapc.Process(pid) as proc:
            def usage_query():
                proc.query(addr, usage=True)

            t_ours, t_base, ratio = measure(usage_query, psutil_all, 1, 1, rounds)
        report.row("py: query one area with usage", f"N={n}", t_ours, "psutil memory_maps",
                   t_base, ratio, "<= 0.1", f"{t_base / t_ours:.1f}x faster; smaps read to it")
    finally:
        os.kill(child.pid, signal.SIGCONT)
        child.stdin.close()
        child.wait()
        child.stdout.close()


if __name__ == "__main__":
    main()
