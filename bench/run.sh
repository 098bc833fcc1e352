#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the benchmark program, then draw the query plot and the ratio plot with gnuplot.
# usage: bench/run.sh BUILD_DIR [--quick] [--only GROUP]
# Writes BUILD_DIR/results/{bench.csv,bench.md,query.dat,query-latency.svg,ratios.dat,ratios.svg}.
# Only an error fails it, never a timing: the figures are for people to read.
set -eu
build=$1
shift
out=$build/results
mkdir -p "$out"
"$build/bench/mmapc_bench" "$@" --out "$out"

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
    here=$(dirname "$0")
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
