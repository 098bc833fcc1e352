#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the benchmark program, then draw the query plot and the ratio plot with gnuplot.
# usage: bench/run.sh BUILD_DIR [--quick] [--only GROUP]   (GROUP python: the Python rows alone)
# Writes BUILD_DIR/results/{bench.csv,bench.md,query.dat,query-latency.svg,ratios.dat,ratios.svg}.
# Only an error fails it, never a timing: the figures are for people to read.
set -eu
build=$1
shift
out=$build/results
mkdir -p "$out"
"$build/bench/mmapc_bench" "$@" --out "$out"

# The Python rows (bench/python_bench.py), added to the same files: the package built against
# this build's libmmapc.so, when python3 has what that needs; otherwise a line says why not.
here=$(dirname "$0")
quick=
only=
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=--quick ;;
    --only) only=${2:-} && shift ;;
    esac
    shift
done
python_rows() {
    py=
    for c in python3 /usr/bin/python3; do
        if "$c" -c 'import os, sys, sysconfig, setuptools, psutil
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
            2>/dev/null; then
            py=$c
            break
        fi
    done
    if [ -z "$py" ]; then
        echo "python rows skipped: python3 lacks psutil, setuptools or its headers" \
            "(apt-get install python3-dev python3-setuptools python3-psutil)"
        return 0
    fi
    lib=$(cd "$build" && pwd)
    include=$(cd "$here/../include" && pwd)
    work=$lib/python
    rm -rf "$work"
    mkdir -p "$work/src"
    cp -R "$here/../python/pyproject.toml" "$here/../python/setup.py" "$here/../python/README.md" \
        "$here/../python/src" "$work/src/"
    if ! (cd "$work/src" && MMAPC_LIB_DIR=$lib MMAPC_INCLUDE_DIR=$include "$py" setup.py -q \
        build_py --build-lib "$work/lib" build_ext --build-lib "$work/lib" --build-temp "$work/tmp") \
        >"$work/build.log" 2>&1; then
        cat "$work/build.log"
        echo "python rows: the extension did not build" >&2
        return 1
    fi
    PYTHONPATH=$work/lib "$py" "$here/python_bench.py" $quick --out "$out"
}
case $only in
"" | python) python_rows ;;
esac

query=no
ratios=no
[ -s "$out/query.dat" ] && query=yes
grep -qv '^#' "$out/ratios.dat" 2>/dev/null && ratios=yes
if [ $query = no ] && [ $ratios = no ]; then
    echo "plot skipped: no query figures in this run"
    echo "ratio plot skipped: no row with a baseline in this run"
    exit 0
fi
if ! command -v gnuplot >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing gnuplot-nox for the plot"
        apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq gnuplot-nox >/dev/null 2>&1; } ||
            true
    fi
fi
if command -v gnuplot >/dev/null 2>&1; then
    if [ $query = yes ]; then
        gnuplot -e "datafile='$out/query.dat'; outfile='$out/query-latency.svg'" "$here/plot.gp"
        echo "wrote $out/query-latency.svg"
    else
        echo "plot skipped: no query figures in this run"
    fi
    if [ $ratios = yes ]; then
        gnuplot -e "datafile='$out/ratios.dat'; outfile='$out/ratios.svg'" "$here/ratios.gp"
        echo "wrote $out/ratios.svg"
    else
        echo "ratio plot skipped: no row with a baseline in this run"
    fi
else
    echo "plot skipped: gnuplot is missing (as root: apt-get install gnuplot-nox)"
fi
