// SPDX-License-Identifier: MIT
/* Timing and medians: the interleaved rounds every row is measured with. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

bench_config bench_cfg;

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

_Noreturn void bench_die(const char *what, int code)
{
    fprintf(stderr, "bench: %s failed: %s (%s)\n", what, code ? mmapc_err_name(code) : "",
            code ? mmapc_strerror(code) : "see errno");
    exit(1);
}

static double block(const bench_variant *v, long ops)
{
    double t0 = bench_now_ns();
    for (long i = 0; i < ops; i++)
        v->fn(v->ctx);
    return bench_now_ns() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof x[0], cmp_double);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* How many operations make a block of about bench_cfg.block_ns, from the slowest variant. */
static long block_ops(const bench_variant *v, int nv)
{
    long ops = 1;
    for (;;) {
        double slowest = 0;
        for (int i = 0; i < nv; i++) {
            double t = block(&v[i], ops);
            slowest = t > slowest ? t : slowest;
        }
        if (slowest >= bench_cfg.block_ns / 4 || ops >= (1L << 24)) {
            double scaled = (double)ops * bench_cfg.block_ns / (slowest > 1 ? slowest : 1);
            return scaled < 1 ? 1 : (long)scaled;
        }
        ops *= 2;
    }
}

void bench_run(const bench_variant *v, int nv, int rounds, bench_result *out)
{
    if (rounds <= 0)
        rounds = bench_cfg.rounds;
    double *t = calloc((size_t)(rounds * nv), sizeof *t);
    double *r = calloc((size_t)rounds, sizeof *r);
    if (!t || !r)
        bench_die("calloc", 0);
    long ops = block_ops(v, nv); /* also the warm-up */
    for (int k = 0; k < rounds; k++) {
        /* alternate the order, so that neither side always runs after the other */
        for (int j = 0; j < nv; j++) {
            int i = k % 2 ? nv - 1 - j : j;
            t[i * rounds + k] = block(&v[i], ops) / (double)ops;
        }
    }
    for (int i = 0; i < nv; i++) {
        /* ratios of the same round first: both sides saw the same machine state */
        for (int k = 0; k < rounds; k++)
            r[k] = t[k] / t[i * rounds + k];
        out->ratio[i] = median(r, rounds);
    }
    for (int i = 0; i < nv; i++)
        out->median_ns[i] = median(t + i * rounds, rounds);
    free(t);
    free(r);
}
