// SPDX-License-Identifier: MIT
/*
 * Rows of the tool: `mmapc areas -x PID` for a child with 10,000 areas, the tool's own code in
 * this process (the listing read with its memory use, sorted into the table, every figure
 * formatted, written to /dev/null), against a plain read of the child's /proc/PID/smaps into a
 * buffer. Then the whole program, spawned and waited for, against `cat /proc/PID/smaps` and
 * `pmap -X PID` spawned the same way, output to /dev/null; and `mmapc report PID` (the HTML
 * page) against `mmapc --json areas -x PID`.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdio.h>

#ifdef MMAPC_BENCH_TOOL
#include "tool.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct tool_ctx {
    int pid;
    char smaps[64];
    char *buf;
    size_t cap;
    size_t len;
    tool_opts o;
    char *const *argv; /* a program to spawn */
} tool_ctx;

static void t_tool(void *arg)
{
    tool_ctx *c = arg;
    if (cmd_areas(&c->o, c->pid) != EXIT_OK)
        bench_die("the tool's mmapc areas -x", 0);
}

static void t_read(void *arg)
{
    tool_ctx *c = arg;
    long len = raw_read_file(c->smaps, &c->buf, &c->cap);
    if (len < 0)
        bench_die("read smaps", 0);
    c->len = (size_t)len;
}

/* A child with count extra areas, stopped in pause() until killed. */
static pid_t child_with_areas(size_t count)
{
    int p[2];
    if (pipe(p) != 0)
        bench_die("pipe", 0);
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork", 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* no child left behind if the benchmark dies */
        extra_areas e;
        char ok = extra_areas_make(&e, count) == 0 ? 'y' : 'n';
        if (write(p[1], &ok, 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    char ok = 'n';
    close(p[1]);
    if (read(p[0], &ok, 1) != 1 || ok != 'y')
        bench_die("the child's extra areas", 0);
    close(p[0]);
    return pid;
}

#ifdef MMAPC_TOOL_PATH
static void t_spawn(void *arg)
{
    tool_ctx *c = arg;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, c->argv[0], &fa, NULL, c->argv, environ) != 0 ||
        waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bench_die(c->argv[0], 0);
    posix_spawn_file_actions_destroy(&fa);
}

static int have(const char *prog)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

#endif

void bench_tool_rows(void)
{
    size_t n = bench_cfg.quick ? 1000 : 10000;
    pid_t pid = child_with_areas(n);
    tool_ctx *mine = calloc(1, sizeof *mine), *raw = calloc(1, sizeof *raw);
    if (!mine || !raw)
        bench_die("calloc", 0);
    mine->pid = raw->pid = (int)pid;
    snprintf(raw->smaps, sizeof raw->smaps, "/proc/%d/smaps", (int)pid);
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        bench_die("fopen /dev/null", 0);
    mine->o = (tool_opts){.out = null, .context = -1, .extended = 1};
    char param[32];
    snprintf(param, sizeof param, "N=%zu", n);
    int rounds = bench_cfg.quick ? 3 : 41;

    bench_variant v[] = {{"mmapc", t_tool, mine}, {"read smaps", t_read, raw}};
    bench_result r;
    bench_run(v, 2, rounds, &r);
    bench_row("mmapc areas -x (the tool's code)", param, r.median_ns[0], "read /proc/PID/smaps",
              r.median_ns[1], r.ratio[1], "<= 1.3", "child's areas, table to /dev/null");
    mine->o.json = 1;
    bench_run(v, 2, rounds, &r);
    bench_row("mmapc --json areas -x (the tool's code)", param, r.median_ns[0],
              "read /proc/PID/smaps", r.median_ns[1], r.ratio[1], "report", NULL);

#ifdef MMAPC_TOOL_PATH
    /* the programs as a user runs them: the listings against cat of the kernel's text they come
     * from (and pmap -X), spawned the same way, output to /dev/null */
    char pidtext[16], maps[64];
    snprintf(pidtext, sizeof pidtext, "%d", (int)pid);
    snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
    char *x_argv[] = {MMAPC_TOOL_PATH, "areas", "-x", pidtext, NULL};
    char *xj_argv[] = {MMAPC_TOOL_PATH, "--json", "areas", "-x", pidtext, NULL};
    char *a_argv[] = {MMAPC_TOOL_PATH, "areas", pidtext, NULL};
    char *aj_argv[] = {MMAPC_TOOL_PATH, "--json", "areas", pidtext, NULL};
    char *report_argv[] = {MMAPC_TOOL_PATH, "report", pidtext, NULL};
    char *cat_smaps_argv[] = {"cat", raw->smaps, NULL};
    char *cat_maps_argv[] = {"cat", maps, NULL};
    char *pmap_argv[] = {"pmap", "-X", pidtext, NULL};
    tool_ctx spawn_x = {.argv = x_argv}, spawn_xj = {.argv = xj_argv}, spawn_a = {.argv = a_argv},
             spawn_aj = {.argv = aj_argv}, spawn_cat_smaps = {.argv = cat_smaps_argv},
             spawn_cat_maps = {.argv = cat_maps_argv}, spawn_pmap = {.argv = pmap_argv},
             spawn_report = {.argv = report_argv};
    int spawn_rounds = bench_cfg.quick ? 3 : 41;
    struct {
        const char *op, *base, *target;
        tool_ctx *tool, *against;
    } rows[] = {
        {"mmapc areas -x PID (program)", "cat /proc/PID/smaps", "<= 1.2", &spawn_x,
         &spawn_cat_smaps},
        {"mmapc --json areas -x PID (program)", "cat /proc/PID/smaps", "<= 1.2", &spawn_xj,
         &spawn_cat_smaps},
        {"mmapc areas PID (program)", "cat /proc/PID/maps", "<= 1.2", &spawn_a, &spawn_cat_maps},
        {"mmapc --json areas PID (program)", "cat /proc/PID/maps", "<= 1.2", &spawn_aj,
         &spawn_cat_maps},
        {"mmapc areas -x PID (program)", "pmap -X PID", "report", &spawn_x, &spawn_pmap},
        /* the HTML page: the same listing with build IDs, smaps_rollup, the page formatted */
        {"mmapc report PID (program)", "mmapc --json areas -x PID", "<= 1.5", &spawn_report,
         &spawn_xj},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!have(rows[i].against->argv[0]))
            continue;
        bench_variant s[] = {{"mmapc", t_spawn, rows[i].tool},
                             {rows[i].base, t_spawn, rows[i].against}};
        bench_run(s, 2, spawn_rounds, &r);
        bench_row(rows[i].op, param, r.median_ns[0], rows[i].base, r.median_ns[1], r.ratio[1],
                  rows[i].target, "spawned, output to /dev/null");
    }
#endif
    fclose(null);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    free(raw->buf);
    free(mine);
    free(raw);
}
#else
void bench_tool_rows(void)
{
    bench_note("tool rows skipped: the program was built without the tool (MMAPC_BUILD_TOOLS=OFF)");
}
#endif
