// SPDX-License-Identifier: MIT
/* mmapc: the memory areas of a process, and what this system offers for memory mappings. The
 * command line (getopt_long) and the choice of command; each group of commands has its file. */
#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: mmapc [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  areas [PID]        every memory area of PID (default: self), one per line; with -x\n"
    "                     the memory use of each (the columns of pmap -X) and a totals row\n"
    "  query ADDR [PID]   the area that holds ADDR (hexadecimal, 0x optional); with --json,\n"
    "                     null when there is none\n"
    "  summary [PID]      totals by kind (file, anon, heap, stack, shmem...): areas, size,\n"
    "                     Rss, Pss, Swap\n"
    "  diff A.json B.json the changes between two snapshots of `mmapc --json areas [-x] PID`:\n"
    "                     areas added, removed, resized, protection changed, Rss changed\n"
    "  watch PID          the same changes, printed as they happen (--interval, --count)\n"
    "  pages PID ADDR [LEN]  the state of each page from ADDR (hexadecimal) for LEN bytes\n"
    "                     (hexadecimal; default: to the end of the area): runs of equal pages,\n"
    "                     one per line: present, swapped, file, exclusive, soft_dirty, wp,\n"
    "                     huge, the frame where shown, and what the system does not tell\n"
    "  report [PID | FILE.json]\n"
    "                     a self-contained HTML page of the memory of PID (default: self) or\n"
    "                     of a snapshot: summary by kind, the address space as a picture,\n"
    "                     resident memory by file, a table of every area (-o FILE, --svg);\n"
    "                     report --diff A.json B.json: what grew, shrank, appeared, vanished\n"
    "  wss PID            the working set: bytes of each area accessed and written during\n"
    "                     each interval (--interval, --count); clears the process's accessed\n"
    "                     and soft-dirty bits (see mmapc(1))\n"
    "  page-sizes         the page sizes this system supports\n"
    "  info               page size, granularity, huge pages, THP mode, query method\n"
    "  demo               map one area of each kind, then list this process's areas\n"
    "  help               print this help\n"
    "\n"
    "  PID is a process id (decimal) or 'self', the mmapc process itself.\n"
    "\n"
    "options:\n"
    "  --json             print JSON instead of a table\n"
    "  --text             read /proc/PID/maps text even where PROCMAP_QUERY exists\n"
    "                     (so does MMAPC_FORCE_TEXT=1 in the environment)\n"
    "  -x, --extended     areas, query: the memory use of each area (Rss, Pss, Swap...)\n"
    "  --sort COLUMN      areas: order by COLUMN (address, the default, ascending; size, rss,\n"
    "                     pss, swap or any -x column, largest first)\n"
    "  --build-id         areas, query: the ELF build ID of each file area, in hex\n"
    "  --context N        query: also N areas on each side of the one found\n"
    "  --interval S       watch, wss: seconds between two looks (default 1; fractions allowed)\n"
    "  --count N          watch, wss: stop after N looks (default: until the process ends)\n"
    "  -o, --output FILE  report: write the page to FILE instead of standard output\n"
    "  --svg              report: the picture of the address space alone, as an SVG image\n"
    "  --diff             report: compare two snapshots, A.json then B.json\n"
    "  -h, --help         print this help\n"
    "  -V, --version      print the version\n"
    "\n"
    "exit status: 0 success, 1 no such area or process, 2 usage error, 3 other failure\n"
    "(a write error, an unreadable or malformed snapshot included)\n";

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

/* A decimal number from 0 to max, digits only. */
static int parse_count(const char *s, long max, long *out)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 0;
}

/* A pid: decimal, 1 to INT_MAX, or "self". */
static int parse_pid(const char *s, int *pid)
{
    if (strcmp(s, "self") == 0) {
        *pid = MMAPC_SELF;
        return 0;
    }
    long v;
    if (parse_count(s, INT_MAX, &v) || v == 0)
        return -1;
    *pid = (int)v;
    return 0;
}

/* Seconds: a positive decimal number, at most a day. */
static int parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!(*s >= '0' && *s <= '9') && *s != '.')
        return -1;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > 86400)
        return -1;
    *out = v;
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

enum {
    OPT_JSON = 256,
    OPT_TEXT,
    OPT_SORT,
    OPT_BUILD_ID,
    OPT_CONTEXT,
    OPT_INTERVAL,
    OPT_COUNT,
    OPT_SVG,
    OPT_DIFF
};

static const struct option long_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"text", no_argument, NULL, OPT_TEXT},
    {"extended", no_argument, NULL, 'x'},
    {"sort", required_argument, NULL, OPT_SORT},
    {"build-id", no_argument, NULL, OPT_BUILD_ID},
    {"context", required_argument, NULL, OPT_CONTEXT},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"count", required_argument, NULL, OPT_COUNT},
    {"output", required_argument, NULL, 'o'},
    {"svg", no_argument, NULL, OPT_SVG},
    {"diff", no_argument, NULL, OPT_DIFF},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

enum { MAX_ARGS = 4 };

/* The options that apply to a command only; each one given elsewhere is a usage error. */
typedef struct given {
    int sort, build_id, context, interval, count, extended, output, svg, diff, json;
} given;

static int only_for(const char *cmd, int set, const char *option, const char *allowed)
{
    if (!set)
        return 0;
    /* allowed: the commands, space-separated, with a space at each end */
    char word[32];
    snprintf(word, sizeof word, " %s ", cmd);
    if (strstr(allowed, word))
        return 0;
    return usage_error("%s does not apply to %s", option, cmd);
}

static int check_options(const char *cmd, const given *g)
{
    int rc;
    if ((rc = only_for(cmd, g->extended, "-x", " areas query ")) ||
        (rc = only_for(cmd, g->sort, "--sort", " areas ")) ||
        (rc = only_for(cmd, g->build_id, "--build-id", " areas query ")) ||
        (rc = only_for(cmd, g->context, "--context", " query ")) ||
        (rc = only_for(cmd, g->interval, "--interval", " watch wss ")) ||
        (rc = only_for(cmd, g->count, "--count", " watch wss ")) ||
        (rc = only_for(cmd, g->output, "-o", " report ")) ||
        (rc = only_for(cmd, g->svg, "--svg", " report ")) ||
        (rc = only_for(cmd, g->diff, "--diff", " report ")))
        return rc;
    return 0;
}

static int bad_pid(const char *s)
{
    return usage_error("bad pid '%s' (a positive decimal number or 'self')", s);
}

/* report [PID | SNAPSHOT.json], report --diff A.json B.json: a word that reads as a pid is one
 * (a file named so is ./123). */
static int report_command(tool_opts *o, const given *g, const char **args, int nargs)
{
    int pid = MMAPC_SELF;
    if (g->json)
        return usage_error("report writes HTML (or SVG with --svg), not JSON");
    if (g->diff) {
        if (nargs != 3)
            return usage_error("report --diff takes two snapshot files (written by mmapc --json "
                               "areas -x)");
        if (g->svg)
            return usage_error("--svg draws one process or snapshot, not a --diff");
        return cmd_report(o, 0, args[2], args[1]);
    }
    if (nargs > 2)
        return usage_error("report takes at most one PID or snapshot file");
    if (nargs == 2 && parse_pid(args[1], &pid) != 0) {
        if (args[1][0] == '-' && args[1][1]) /* a negative number: no pid, no file either */
            return bad_pid(args[1]);
        return cmd_report(o, 0, args[1], NULL);
    }
    return cmd_report(o, pid, NULL, NULL);
}

static int run_command(tool_opts *o, const given *g, const char **args, int nargs)
{
    const char *cmd = args[0];
    int pid = MMAPC_SELF, rc;
    if (strcmp(cmd, "help") == 0) {
        fputs(usage_text, o->out);
        return EXIT_OK;
    }
    if ((rc = check_options(cmd, g)))
        return rc;
    if (strcmp(cmd, "areas") == 0 || strcmp(cmd, "summary") == 0) {
        if (nargs > 2)
            return usage_error("%s takes at most one PID", cmd);
        if (nargs == 2 && parse_pid(args[1], &pid))
            return bad_pid(args[1]);
        if (cmd[0] == 's')
            return cmd_summary(o, pid);
        if (o->sort && tool_snapshot_sort(&(tool_snapshot){0}, o->sort) != 0) {
            fprintf(stderr, "mmapc: unknown column '%s' for --sort; the columns are: ", o->sort);
            tool_sort_columns(stderr);
            fputs("\nTry 'mmapc --help'.\n", stderr);
            return EXIT_USAGE;
        }
        return cmd_areas(o, pid);
    }
    if (strcmp(cmd, "query") == 0) {
        uint64_t addr;
        if (nargs < 2)
            return usage_error("query needs an address");
        if (parse_addr(args[1], &addr))
            return usage_error("bad address '%s' (hexadecimal, 0x optional)", args[1]);
        if (nargs == 3 && parse_pid(args[2], &pid))
            return bad_pid(args[2]);
        rc = cmd_query(o, addr, pid);
        if (rc == EXIT_NOT_FOUND && looks_decimal(args[1]))
            hex_hint(args[1]);
        return rc;
    }
    if (strcmp(cmd, "diff") == 0) {
        if (nargs != 3)
            return usage_error("diff takes two snapshot files (written by mmapc --json areas)");
        return cmd_diff(o, args[1], args[2]);
    }
    if (strcmp(cmd, "report") == 0)
        return report_command(o, g, args, nargs);
    if (strcmp(cmd, "watch") == 0 || strcmp(cmd, "wss") == 0) {
        if (nargs != 2)
            return usage_error("%s takes one PID", cmd);
        if (parse_pid(args[1], &pid))
            return bad_pid(args[1]);
        return cmd[0] == 'w' && cmd[1] == 'a' ? cmd_watch(o, pid) : cmd_wss(o, pid);
    }
    if (strcmp(cmd, "pages") == 0) {
        uint64_t addr, len = 0;
        if (nargs < 3 || nargs > 4)
            return usage_error("pages takes a PID, an address and an optional length");
        if (parse_pid(args[1], &pid))
            return bad_pid(args[1]);
        if (parse_addr(args[2], &addr))
            return usage_error("bad address '%s' (hexadecimal, 0x optional)", args[2]);
        if (nargs == 4 && parse_addr(args[3], &len))
            return usage_error("bad length '%s' (hexadecimal, 0x optional)", args[3]);
        return cmd_pages(o, pid, addr, len, nargs == 4);
    }
    if (strcmp(cmd, "page-sizes") != 0 && strcmp(cmd, "info") != 0 && strcmp(cmd, "demo") != 0)
        return usage_error("unknown command '%s'", cmd);
    if (nargs > 1)
        return usage_error("%s takes no arguments", cmd);
    if (strcmp(cmd, "page-sizes") == 0)
        return cmd_page_sizes(o->json);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(o->json, o->proc_flags);
    return cmd_demo(o->json, o->proc_flags);
}

/* A word that getopt would take for an option but that is a (negative) number: an argument,
 * for the command to refuse ("bad pid '-5'"). */
static int negative_number(const char *s)
{
    return s[0] == '-' && s[1] >= '0' && s[1] <= '9';
}

static int run(int argc, char **argv)
{
    tool_opts o = {.out = stdout, .context = -1, .interval = 1.0};
    given g = {0};
    const char *args[MAX_ARGS];
    int nargs = 0;
    long n;
    opterr = 0; /* our own messages */
    /* "-": every word in order, options and arguments alike (no reordering of argv) */
    for (;;) {
        if (optind < argc && negative_number(argv[optind])) {
            if (nargs == MAX_ARGS)
                return usage_error("too many arguments");
            args[nargs++] = argv[optind++];
            continue;
        }
        int c = getopt_long(argc, argv, "-:xhVo:", long_options, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 1:
            if (nargs == MAX_ARGS)
                return usage_error("too many arguments");
            args[nargs++] = optarg;
            break;
        case 'h':
            fputs(usage_text, o.out);
            return EXIT_OK;
        case 'V':
            fprintf(o.out, "mmapc %s (library %s)\n", MMAPC_VERSION_STRING, mmapc_version());
            return EXIT_OK;
        case 'x':
            o.extended = g.extended = 1;
            break;
        case OPT_JSON:
            o.json = g.json = 1;
            break;
        case 'o':
            o.output = optarg;
            g.output = 1;
            break;
        case OPT_SVG:
            o.svg = g.svg = 1;
            break;
        case OPT_DIFF:
            g.diff = 1;
            break;
        case OPT_TEXT:
            o.proc_flags |= MMAPC_PROC_TEXT;
            break;
        case OPT_SORT:
            o.sort = optarg;
            g.sort = 1;
            break;
        case OPT_BUILD_ID:
            o.build_id = g.build_id = 1;
            break;
        case OPT_CONTEXT:
            if (parse_count(optarg, 100000, &n))
                return usage_error("bad --context '%s' (a number of areas, 0 to 100000)", optarg);
            o.context = (int)n;
            g.context = 1;
            break;
        case OPT_INTERVAL:
            if (parse_seconds(optarg, &o.interval))
                return usage_error("bad --interval '%s' (seconds, more than 0, at most 86400)",
                                   optarg);
            g.interval = 1;
            break;
        case OPT_COUNT:
            if (parse_count(optarg, LONG_MAX, &o.count) || o.count == 0)
                return usage_error("bad --count '%s' (a positive number)", optarg);
            g.count = 1;
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            /* a short option: its letter (optind may not have moved past its word yet) */
            if (optopt > 0 && optopt < 256)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    for (; optind < argc; optind++) { /* after "--" */
        if (nargs == MAX_ARGS)
            return usage_error("too many arguments");
        args[nargs++] = argv[optind];
    }
    if (nargs == 0)
        return usage_error("no command");
    return run_command(&o, &g, args, nargs);
}

int main(int argc, char **argv)
{
    tool_guard_std_fds();
    return tool_close_stdout(run(argc, argv));
}
