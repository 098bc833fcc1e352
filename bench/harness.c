/* Timing, medians and output of the benchmark program. */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

bench_config bench_cfg;
static FILE *csv;

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

/* ---- output ---- */

static void format_ns(char *buf, size_t n, double ns)
{
    if (ns >= 1e9)
        snprintf(buf, n, "%.3f s", ns / 1e9);
    else if (ns >= 1e6)
        snprintf(buf, n, "%.3f ms", ns / 1e6);
    else if (ns >= 1e4)
        snprintf(buf, n, "%.2f us", ns / 1e3);
    else
        snprintf(buf, n, "%.0f ns", ns);
}

void bench_row(const char *op, const char *param, double mmapc_ns, const char *baseline,
               double base_ns, double ratio, const char *target, const char *note)
{
    char a[32], b[32] = "-", q[16] = "-";
    format_ns(a, sizeof a, mmapc_ns);
    if (baseline) {
        format_ns(b, sizeof b, base_ns);
        snprintf(q, sizeof q, "%.3f", ratio);
    }
    printf("%-30s %-9s %11s  %-26s %11s %7s  %-8s %s\n", op, param, a, baseline ? baseline : "-", b,
           q, target ? target : "", note ? note : "");
    fflush(stdout);
    if (csv) {
        fprintf(csv, "\"%s\",\"%s\",%.1f,\"%s\",", op, param, mmapc_ns, baseline ? baseline : "");
        if (baseline)
            fprintf(csv, "%.1f,%.4f", base_ns, ratio);
        else
            fprintf(csv, ",");
        fprintf(csv, ",\"%s\",\"%s\"\n", target ? target : "", note ? note : "");
    }
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("  note: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (csv) {
        va_start(ap, fmt);
        fprintf(csv, "# ");
        vfprintf(csv, fmt, ap);
        fprintf(csv, "\n");
        va_end(ap);
    }
}

int bench_open_csv(const char *path)
{
    csv = fopen(path, "w");
    if (!csv)
        return -1;
    fprintf(csv, "operation,param,mmapc_ns,baseline,baseline_ns,ratio,target,note\n");
    return 0;
}

void bench_close_csv(void)
{
    if (csv)
        fclose(csv);
    csv = NULL;
}

static void cpu_model(char *buf, size_t n)
{
    snprintf(buf, n, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (colon && strncmp(line, "model name", 10) == 0) {
            colon += 1 + strspn(colon + 1, " \t");
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, n, "%s", colon);
            break;
        }
    }
    fclose(f);
}

void bench_print_machine(void)
{
    char cpu[128];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    printf("mmapc %s benchmark (%s mode)\n", mmapc_version(), bench_cfg.quick ? "quick" : "full");
    printf("machine: %s, %ld CPUs online; kernel %s %s %s\n", cpu, sysconf(_SC_NPROCESSORS_ONLN),
           u.sysname, u.release, u.machine);
    printf("compiler: %s; PROCMAP_QUERY: %s\n", __VERSION__,
           raw_procmap_available() ? "yes" : "no (kernel before 6.11 or emulator)");
    printf("method: per row, %d rounds; each round times one block of each side in turn "
           "(order alternating),\n        same operation count per block (about %.1f ms); "
           "medians per operation; ratio = median of per-round mmapc/baseline.\n\n",
           bench_cfg.rounds, bench_cfg.block_ns / 1e6);
    printf("%-30s %-9s %11s  %-26s %11s %7s  %-8s %s\n", "operation", "size/N", "mmapc", "baseline",
           "baseline", "ratio", "target", "note");
    if (csv) {
        fprintf(csv, "# machine: %s; kernel %s %s %s; %s mode\n", cpu, u.sysname, u.release,
                u.machine, bench_cfg.quick ? "quick" : "full");
    }
    fflush(stdout);
}
