// SPDX-License-Identifier: MIT
/* mmapc pages PID ADDR [LEN]: the state of each page of a range of a process, runs of equal
 * pages one per line (or JSON objects), from mmapc_proc_pages(). The output is held until the
 * last run is read: a failure part of the way (a process that ends) leaves it empty, never the
 * start of a table or of a JSON document. */
#include "tool.h"

#include <inttypes.h>
#include <stdlib.h>

#define RUNS 1024

/* The words of the bits set in bits, joined by ',' ("-" for none); JSON: an array of strings. */
static void flag_words(obuf *b, unsigned bits, int json)
{
    int n = 0;
    if (json)
        ob_char(b, '[');
    for (unsigned f = 1; f && f <= MMAPC_PAGE_FRAME; f <<= 1) {
        if (!(bits & f))
            continue;
        if (n)
            ob_str(b, json ? ", " : ",");
        if (json)
            ob_char(b, '"');
        ob_str(b, mmapc_page_flag_name(f));
        if (json)
            ob_char(b, '"');
        n++;
    }
    if (json)
        ob_char(b, ']');
    else if (!n)
        ob_char(b, '-');
}

static void print_run(obuf *b, const mmapc_page_run *r, uint64_t page, int json, int first)
{
    uint64_t end = r->start + r->pages * page;
    if (json) {
        ob_str(b, first ? "\n  {\"start\": \"0x" : ",\n  {\"start\": \"0x");
        ob_hex(b, r->start, 0);
        ob_str(b, "\", \"end\": \"0x");
        ob_hex(b, end, 0);
        ob_str(b, "\", \"pages\": ");
        ob_u64(b, r->pages, 0);
        ob_str(b, ", \"flags\": ");
        flag_words(b, r->flags, 1);
        ob_str(b, ", \"unknown\": ");
        flag_words(b, r->unknown, 1);
        ob_str(b, ", \"frame\": ");
        if (r->flags & MMAPC_PAGE_FRAME)
            ob_u64(b, r->frame, 0);
        else
            ob_str(b, "null");
        ob_char(b, '}');
        return;
    }
    ob_hex(b, r->start, 16);
    ob_char(b, ' ');
    ob_hex(b, end, 16);
    ob_char(b, ' ');
    ob_u64(b, r->pages, 10);
    ob_char(b, ' ');
    flag_words(b, r->flags, 0);
    ob_str(b, " unknown=");
    flag_words(b, r->unknown, 0);
    if (r->flags & MMAPC_PAGE_FRAME) {
        ob_str(b, " frame=0x");
        ob_hex(b, r->frame, 0);
    }
    ob_char(b, '\n');
}

/* The runs of [at, at + left) into b; 0 or the library's error. */
static int read_runs(obuf *b, mmapc_proc *proc, uint64_t at, uint64_t left, int json)
{
    static mmapc_page_run runs[RUNS];
    uint64_t page = mmapc_page_size();
    int first = 1;
    ob_str(b, json ? "[" : "START            END                   PAGES STATE\n");
    do {
        size_t n = 0;
        uint64_t next = at;
        int rc = mmapc_proc_pages(proc, at, left, 0, runs, RUNS, &n, &next);
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++, first = 0)
            print_run(b, &runs[i], page, json, first);
        if (ob_oom(b))
            return MMAPC_ENOMEM;
        if (n == 0)
            break;
        left = next - at >= left ? 0 : left - (next - at);
        at = next;
    } while (left);
    if (json)
        ob_str(b, first ? "]\n" : "\n]\n");
    return ob_oom(b) ? MMAPC_ENOMEM : 0;
}

int cmd_pages(const tool_opts *o, int pid, uint64_t addr, uint64_t len, int has_len)
{
    char who[64], what[160];
    tool_pid_name(pid, who, sizeof who);
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, pid, o->proc_flags);
    if (rc) {
        snprintf(what, sizeof what, "cannot read the areas of %s", who);
        return tool_fail(rc, what);
    }
    if (!has_len) { /* the rest of the area that holds addr */
        mmapc_area a;
        rc = mmapc_proc_query(proc, addr, &a, NULL, 0);
        if (rc == MMAPC_ENOTFOUND) {
            mmapc_proc_close(proc);
            if (o->json)
                fputs("null\n", o->out);
            fprintf(stderr,
                    "mmapc: no area at 0x%" PRIx64 " in %s (give a LENGTH for a range "
                    "without areas)\n",
                    addr, who);
            return EXIT_NOT_FOUND;
        }
        if (rc) {
            mmapc_proc_close(proc);
            snprintf(what, sizeof what, "the area at 0x%" PRIx64 " in %s", addr, who);
            return tool_fail(rc, what);
        }
        len = a.end - addr; /* an end of 0 is the top */
    }
    obuf *b = malloc(sizeof *b);
    if (!b) {
        mmapc_proc_close(proc);
        return tool_fail(MMAPC_ENOMEM, "pages");
    }
    ob_init(b, o->out);
    ob_hold(b);
    rc = read_runs(b, proc, addr, len, o->json);
    mmapc_proc_close(proc);
    if (rc) {
        ob_discard(b);
        free(b);
        snprintf(what, sizeof what, "pages of 0x%" PRIx64 " (0x%" PRIx64 " bytes) in %s", addr, len,
                 who);
        return tool_fail(rc, what);
    }
    ob_flush(b);
    free(b);
    return EXIT_OK;
}
