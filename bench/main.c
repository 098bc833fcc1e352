/*
 * The mmapc benchmark: every figure is a ratio to plain system calls timed in the same process,
 * interleaved. `mmapc_bench [--quick] [--out DIR]` prints the table and writes DIR/bench.csv and
 * DIR/query.dat (the plot's data).
 */
#include "bench.h"

#include <stdio.h>
#include <string.h>

static int usage(void)
{
    fprintf(stderr, "usage: mmapc_bench [--quick] [--out DIR]\n"
                    "  --quick   few short rounds and a small file (for CI: proves it runs;\n"
                    "            its figures are not meant to be read)\n"
                    "  --out     directory for bench.csv, query.dat and the temporary file\n"
                    "            (default: the current directory)\n");
    return 2;
}

int main(int argc, char **argv)
{
    bench_cfg = (bench_config){.rounds = 31, .block_ns = 4e6, .out_dir = "."};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            bench_cfg.quick = 1;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            bench_cfg.out_dir = argv[++i];
        else
            return usage();
    }
    if (bench_cfg.quick) {
        bench_cfg.rounds = 3;
        bench_cfg.block_ns = 2e5;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/bench.csv", bench_cfg.out_dir);
    if (bench_open_csv(path) != 0) {
        perror(path);
        return 1;
    }
    bench_print_machine();
    bench_map_rows();
    bench_areas_rows();
    bench_file_rows();
    int failed = bench_syscall_check();
    bench_close_csv();
    printf("\nwrote %s\n", path);
    return failed;
}
