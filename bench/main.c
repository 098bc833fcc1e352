// SPDX-License-Identifier: MIT
/*
 * The mmapc benchmark: every figure is a ratio to plain system calls timed in the same process,
 * interleaved. `mmapc_bench [--quick] [--out DIR]` prints the table and writes DIR/bench.csv,
 * DIR/bench.md (the same table in Markdown) and DIR/query.dat (the plot's data).
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(void)
{
    fprintf(stderr,
            "usage: mmapc_bench [--quick] [--out DIR] [--only "
            "map|areas|file|shm|range|size|guard|tool|usage|inspect|pages|track|cxx]\n"
            "  --quick   few short rounds and a small file (for CI: proves it runs;\n"
            "            its figures are not meant to be read)\n"
            "  --out     directory for bench.csv, bench.md, query.dat and the temporary file\n"
            "            (default: the current directory)\n"
            "  --only    one group of rows\n");
    return 2;
}

/* Whether the group of rows `name` runs (all of them without --only). */
static int runs(const char *only, const char *name)
{
    return !only || strcmp(only, name) == 0;
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    bench_cfg = (bench_config){.rounds = 201, .block_ns = 1e6, .out_dir = "."};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            bench_cfg.quick = 1;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            bench_cfg.out_dir = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            return usage();
    }
    if (bench_cfg.quick) {
        bench_cfg.rounds = 3;
        bench_cfg.block_ns = 2e5;
    }
    if (bench_report_open(bench_cfg.out_dir) != 0)
        return 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/query.dat", bench_cfg.out_dir);
    unlink(path); /* written again by the query rows; a stale one would be plotted */
    bench_print_machine();
    if (runs(only, "map"))
        bench_map_rows();
    if (runs(only, "areas"))
        bench_areas_rows();
    if (runs(only, "file"))
        bench_file_rows();
    if (runs(only, "shm"))
        bench_shm_rows();
    if (runs(only, "range"))
        bench_range_rows();
    if (runs(only, "size"))
        bench_file_size_rows();
    if (runs(only, "guard"))
        bench_guard_rows();
    if (runs(only, "tool"))
        bench_tool_rows();
    if (runs(only, "usage"))
        bench_usage_rows();
    if (runs(only, "inspect"))
        bench_inspect_rows();
    if (runs(only, "pages"))
        bench_pages_rows();
    if (runs(only, "track"))
        bench_track_rows();
#ifdef MMAPC_BENCH_CXX
    if (runs(only, "cxx"))
        bench_cxx_rows();
#endif
    int failed = runs(only, "map") ? bench_syscall_check() : 0;
    bench_report_close();
    printf("\nwrote bench.csv and bench.md in %s\n", bench_cfg.out_dir);
    return failed;
}
