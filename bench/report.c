// SPDX-License-Identifier: MIT
/* Output of the benchmark: the table on stdout, the same rows in CSV and in Markdown, and the
 * ratio of every row with a baseline in ratios.dat (the data of the ratio plot). */
#define _GNU_SOURCE
#include "bench.h"

#include "mmapc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static FILE *csv, *md, *ratios;
/* Notes go under the Markdown table, so they wait here until the end. */
#define MAX_NOTES 32
static char *notes[MAX_NOTES];
static int note_count;

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

/* Whether the ratio meets a target written "<= X" (nothing for other targets). A verdict for
 * the reader only: no timing decides the exit status. */
static const char *verdict(const char *target, const char *baseline, double ratio)
{
    double limit;
    if (!baseline || !target || sscanf(target, "<= %lf", &limit) != 1)
        return "";
    return ratio <= limit ? "met" : "MISSED";
}

/* One line of ratios.dat: label, ratio, target value and its relation ("<=", ">="), tab-separated;
 * "-" and "-" for a row whose target is no bound ("report", "flat"). */
static void ratio_line(const char *op, const char *param, const char *baseline, double ratio,
                       const char *target)
{
    double limit = 0;
    char rel[3] = "";
    int bound = target && sscanf(target, " %2[<>=] %lf", rel, &limit) == 2 &&
                (strcmp(rel, "<=") == 0 || strcmp(rel, ">=") == 0);
    fprintf(ratios, "%s, %s (%s)\t%.4f\t", op, param, baseline, ratio);
    if (bound)
        fprintf(ratios, "%g\t%s\n", limit, rel);
    else
        fprintf(ratios, "-\t-\n");
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
    const char *base = baseline ? baseline : "-", *t = target ? target : "", *n = note ? note : "";
    const char *v = verdict(target, baseline, ratio);
    printf("%-30s %-9s %11s  %-26s %11s %7s  %-8s %-6s %s\n", op, param, a, base, b, q, t, v, n);
    fflush(stdout);
    if (csv) {
        fprintf(csv, "\"%s\",\"%s\",%.1f,\"%s\",", op, param, mmapc_ns, baseline ? baseline : "");
        if (baseline)
            fprintf(csv, "%.1f,%.4f", base_ns, ratio);
        else
            fprintf(csv, ",");
        fprintf(csv, ",\"%s\",\"%s\"\n", t, n);
    }
    if (md)
        fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", op, param, a, base, b, q, t,
                v, n);
    if (ratios && baseline)
        ratio_line(op, param, baseline, ratio, target);
}

void bench_note(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("  note: %s\n", line);
    fflush(stdout);
    if (csv)
        fprintf(csv, "# %s\n", line);
    if (note_count < MAX_NOTES)
        notes[note_count++] = strdup(line);
}

static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        perror(path);
    return f;
}

int bench_report_open(const char *dir)
{
    csv = open_in(dir, "bench.csv");
    md = open_in(dir, "bench.md");
    ratios = open_in(dir, "ratios.dat");
    if (!csv || !md || !ratios)
        return -1;
    fprintf(csv, "operation,param,mmapc_ns,baseline,baseline_ns,ratio,target,note\n");
    fprintf(ratios, "# label\tratio to the baseline\ttarget\trelation\n");
    return 0;
}

void bench_report_close(void)
{
    for (int i = 0; i < note_count; i++) {
        if (md)
            fprintf(md, "%s- %s\n", i == 0 ? "\n" : "", notes[i]);
        free(notes[i]);
    }
    note_count = 0;
    if (csv)
        fclose(csv);
    if (md)
        fclose(md);
    if (ratios)
        fclose(ratios);
    csv = md = ratios = NULL;
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
    char cpu[128], machine[512];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    snprintf(machine, sizeof machine, "%s, %ld CPUs online; kernel %s %s %s", cpu,
             sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine);
    const char *pq = raw_procmap_available() ? "yes" : "no (kernel before 6.11, or an emulator)";
    printf("mmapc %s benchmark (%s mode)\n", mmapc_version(), bench_cfg.quick ? "quick" : "full");
    printf("machine: %s\ncompiler: %s; PROCMAP_QUERY: %s\n", machine, __VERSION__, pq);
    printf("method: per row, %d rounds; each round times one block of each side in turn "
           "(order alternating),\n        same operation count per block (about %.1f ms); "
           "medians per operation; ratio = median of per-round mmapc/baseline.\n\n",
           bench_cfg.rounds, bench_cfg.block_ns / 1e6);
    printf("%-30s %-9s %11s  %-26s %11s %7s  %-8s %s\n", "operation", "size/N", "mmapc", "baseline",
           "baseline", "ratio", "target", "note");
    fflush(stdout);
    if (csv)
        fprintf(csv, "# machine: %s; %s mode\n", machine, bench_cfg.quick ? "quick" : "full");
    if (md) {
        fprintf(md, "Machine: %s; compiler %s; PROCMAP_QUERY: %s; %s mode, %d rounds.\n\n", machine,
                __VERSION__, pq, bench_cfg.quick ? "quick" : "full", bench_cfg.rounds);
        fprintf(md, "| operation | size/N | mmapc | baseline | baseline time | ratio | target | | "
                    "note |\n|---|---|---:|---|---:|---:|---|---|---|\n");
    }
}
