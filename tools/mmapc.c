// SPDX-License-Identifier: MIT
/* mmapc: the memory areas of a process, and what this system offers for memory mappings. */
#include "tool.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: mmapc [--json] [--text] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  areas [PID]        every memory area of PID (default: self), one per line\n"
    "  query ADDR [PID]   the area that holds ADDR (hexadecimal, 0x optional); with --json,\n"
    "                     null when there is none\n"
    "  page-sizes         the page sizes this system supports\n"
    "  info               page size, granularity, huge pages, THP mode, query method\n"
    "  demo               map one area of each kind, then list this process's areas\n"
    "\n"
    "  PID is a process id (decimal) or 'self', the mmapc process itself.\n"
    "\n"
    "options:\n"
    "  --json             print JSON instead of a table\n"
    "  --text             read /proc/PID/maps text even where PROCMAP_QUERY exists\n"
    "                     (so does MMAPC_FORCE_TEXT=1 in the environment)\n"
    "  -h, --help         print this help\n"
    "  -V, --version      print the version\n"
    "\n"
    "exit status: 0 success, 1 no such area or process, 2 usage error, 3 other failure\n"
    "(a write error included)\n";

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mmapc: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'mmapc --help'.\n", stderr);
    return EXIT_USAGE;
}

int tool_fail(int rc, const char *what)
{
    int os = mmapc_last_os_error();
    if (os)
        fprintf(stderr, "mmapc: %s: %s (%s)\n", what, mmapc_strerror(rc), strerror(os));
    else
        fprintf(stderr, "mmapc: %s: %s\n", what, mmapc_strerror(rc));
    switch (rc) {
    case MMAPC_ENOTFOUND:
    case MMAPC_ESRCH:
        return EXIT_NOT_FOUND;
    default:
        return EXIT_FAILED;
    }
}

/* A pid: decimal, 1 to INT_MAX, or "self". */
static int parse_pid(const char *s, int *pid)
{
    if (strcmp(s, "self") == 0) {
        *pid = MMAPC_SELF;
        return 0;
    }
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT_MAX - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (v == 0)
        return -1;
    *pid = (int)v;
    return 0;
}

/* Whether an address argument looks decimal: digits only, no 0x, and at least two of them (a
 * single digit means the same in both bases). */
static int looks_decimal(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n >= 2 && s[n] == '\0';
}

/* The hint for an address written as if it were decimal. */
static void hex_hint(const char *s)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == 0 && *end == '\0')
        fprintf(stderr, "mmapc: addresses are hexadecimal: %s is 0x%s; decimal %s is 0x%llx\n", s,
                s, s, v);
    else
        fprintf(stderr, "mmapc: addresses are hexadecimal (0x optional)\n");
}

/* An address: hexadecimal, with or without 0x. */
static int parse_addr(const char *s, uint64_t *addr)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / 16)
            return -1;
        v = v * 16 + (uint64_t)d;
    }
    *addr = v;
    return 0;
}

static const char *pid_name(int pid, char *buf, size_t size)
{
    if (pid == MMAPC_SELF)
        snprintf(buf, size, "this process");
    else
        snprintf(buf, size, "process %d", pid);
    return buf;
}

int tool_print_areas(int pid, unsigned proc_flags, int json, const tool_note *notes, int nnotes)
{
    char who[64], what[160];
    pid_name(pid, who, sizeof who);
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, pid, proc_flags);
    if (rc) {
        snprintf(what, sizeof what, "cannot read the areas of %s", who);
        return tool_fail(rc, what);
    }
    mmapc_areas *it;
    rc = mmapc_proc_areas(&it, proc, 0, UINT64_MAX);
    if (rc) {
        mmapc_proc_close(proc);
        snprintf(what, sizeof what, "cannot read the areas of %s", who);
        return tool_fail(rc, what);
    }
    mmapc_area a;
    int n = 0;
    if (json)
        fputs("[", stdout);
    else
        print_area_header(stdout);
    while ((rc = mmapc_areas_next(it, &a)) > 0) {
        const char *note = NULL;
        for (int i = 0; i < nnotes; i++)
            if (a.start < notes[i].end && notes[i].start < a.end)
                note = notes[i].text;
        if (json) {
            fputs(n ? ",\n  " : "\n  ", stdout);
            print_area_json(stdout, &a);
        } else {
            print_area_row(stdout, &a, note);
        }
        n++;
        if (ferror(stdout)) /* a write failed: tool_close_stdout() says so */
            break;
    }
    if (json)
        fputs(n ? "\n]\n" : "]\n", stdout);
    mmapc_areas_close(it);
    mmapc_proc_close(proc);
    if (rc < 0) {
        snprintf(what, sizeof what, "listing of %s, after %d areas", who, n);
        return tool_fail(rc, what);
    }
    return EXIT_OK;
}

static int cmd_query(const char *arg, uint64_t addr, int pid, unsigned proc_flags, int json)
{
    char who[64], what[160];
    pid_name(pid, who, sizeof who);
    mmapc_area a;
    char small[4096], *buf = small;
    size_t size = sizeof small;
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, pid, proc_flags);
    if (rc) {
        snprintf(what, sizeof what, "cannot read the areas of %s", who);
        return tool_fail(rc, what);
    }
    rc = mmapc_proc_query(proc, addr, &a, buf, size);
    if (rc == 0 && a.path_len >= size) { /* a longer path than the buffer: ask again */
        size = a.path_len + 1;
        buf = malloc(size);
        rc = buf ? mmapc_proc_query(proc, addr, &a, buf, size) : MMAPC_ENOMEM;
    }
    mmapc_proc_close(proc);
    if (rc == MMAPC_ENOTFOUND) {
        if (json) /* a JSON document still, so that a pipe into a JSON reader works */
            fputs("null\n", stdout);
        fprintf(stderr, "mmapc: no area at 0x%" PRIx64 " in %s\n", addr, who);
        if (looks_decimal(arg))
            hex_hint(arg);
        rc = EXIT_NOT_FOUND;
    } else if (rc) {
        snprintf(what, sizeof what, "query of 0x%" PRIx64 " in %s", addr, who);
        rc = tool_fail(rc, what);
    } else if (json) {
        print_area_json(stdout, &a);
        fputc('\n', stdout);
    } else {
        print_area_header(stdout);
        print_area_row(stdout, &a, NULL);
    }
    if (buf != small)
        free(buf);
    return rc;
}

static int run(int argc, char **argv)
{
    int json = 0;
    unsigned proc_flags = 0;
    const char *args[3];
    int nargs = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        } else if (strcmp(s, "-V") == 0 || strcmp(s, "--version") == 0) {
            printf("mmapc %s (library %s)\n", MMAPC_VERSION_STRING, mmapc_version());
            return EXIT_OK;
        } else if (strcmp(s, "--json") == 0) {
            json = 1;
        } else if (strcmp(s, "--text") == 0) {
            proc_flags |= MMAPC_PROC_TEXT;
        } else if (strcmp(s, "--") == 0) {
            for (i++; i < argc; i++) {
                if (nargs == 3)
                    return usage_error("too many arguments");
                args[nargs++] = argv[i];
            }
        } else if (s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9')) {
            /* (a negative number is an argument, for the command to refuse) */
            return usage_error("unknown option '%s'", s);
        } else {
            if (nargs == 3)
                return usage_error("too many arguments");
            args[nargs++] = s;
        }
    }
    if (nargs == 0)
        return usage_error("no command");
    const char *cmd = args[0];
    int pid = MMAPC_SELF;
    if (strcmp(cmd, "areas") == 0) {
        if (nargs > 2)
            return usage_error("areas takes at most one PID");
        if (nargs == 2 && parse_pid(args[1], &pid))
            return usage_error("bad pid '%s' (a positive decimal number or 'self')", args[1]);
        return tool_print_areas(pid, proc_flags, json, NULL, 0);
    }
    if (strcmp(cmd, "query") == 0) {
        uint64_t addr;
        if (nargs < 2)
            return usage_error("query needs an address");
        if (parse_addr(args[1], &addr))
            return usage_error("bad address '%s' (hexadecimal, 0x optional)", args[1]);
        if (nargs == 3 && parse_pid(args[2], &pid))
            return usage_error("bad pid '%s' (a positive decimal number or 'self')", args[2]);
        return cmd_query(args[1], addr, pid, proc_flags, json);
    }
    if (nargs > 1)
        return usage_error("%s takes no arguments", cmd);
    if (strcmp(cmd, "page-sizes") == 0)
        return cmd_page_sizes(json);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(json, proc_flags);
    if (strcmp(cmd, "demo") == 0)
        return cmd_demo(json, proc_flags);
    if (strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    tool_guard_std_fds();
    return tool_close_stdout(run(argc, argv));
}
