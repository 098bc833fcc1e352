// SPDX-License-Identifier: MIT
/* mmapc pages PID ADDR [LEN]: the state of each page of a range of a process, runs of equal
 * pages one per line (or JSON objects), from mmapc_proc_pages(). */
#include "tool.h"

#include <inttypes.h>

#define RUNS 1024

/* The words of the bits set in bits, joined by ',' ("-" for none); JSON: an array of strings. */
static void flag_words(FILE *out, unsigned bits, int json)
{
    int n = 0;
    if (json)
        fputc('[', out);
    for (unsigned b = 1; b && b <= MMAPC_PAGE_FRAME; b <<= 1) {
        if (!(bits & b))
            continue;
        if (json)
            fprintf(out, "%s\"%s\"", n ? ", " : "", mmapc_page_flag_name(b));
        else
            fprintf(out, "%s%s", n ? "," : "", mmapc_page_flag_name(b));
        n++;
    }
    if (json)
        fputc(']', out);
    else if (!n)
        fputc('-', out);
}

static void print_run(FILE *out, const mmapc_page_run *r, uint64_t page, int json, int first)
{
    uint64_t end = r->start + r->pages * page;
    if (json) {
        fprintf(out,
                "%s  {\"start\": \"0x%" PRIx64 "\", \"end\": \"0x%" PRIx64 "\", \"pages\": %" PRIu64
                ", \"flags\": ",
                first ? "\n" : ",\n", r->start, end, r->pages);
        flag_words(out, r->flags, 1);
        fputs(", \"unknown\": ", out);
        flag_words(out, r->unknown, 1);
        if (r->flags & MMAPC_PAGE_FRAME)
            fprintf(out, ", \"frame\": %" PRIu64 "}", r->frame);
        else
            fputs(", \"frame\": null}", out);
        return;
    }
    fprintf(out, "%016" PRIx64 " %016" PRIx64 " %10" PRIu64 " ", r->start, end, r->pages);
    flag_words(out, r->flags, 0);
    fputs(" unknown=", out);
    flag_words(out, r->unknown, 0);
    if (r->flags & MMAPC_PAGE_FRAME)
        fprintf(out, " frame=0x%" PRIx64, r->frame);
    fputc('\n', out);
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
        len = a.end - addr; /* an end of 0 is the top */
    }
    static mmapc_page_run runs[RUNS];
    uint64_t page = mmapc_page_size(), at = addr, left = len;
    int started = 0, first = 1;
    do {
        size_t n = 0;
        uint64_t next = at;
        rc = mmapc_proc_pages(proc, at, left, 0, runs, RUNS, &n, &next);
        if (rc)
            break;
        if (!started)
            fputs(o->json ? "[" : "START            END                   PAGES STATE\n", o->out);
        started = 1;
        for (size_t i = 0; i < n; i++, first = 0)
            print_run(o->out, &runs[i], page, o->json, first);
        if (n == 0)
            break;
        left = next - at >= left ? 0 : left - (next - at);
        at = next;
    } while (left);
    mmapc_proc_close(proc);
    if (rc) {
        snprintf(what, sizeof what, "pages of 0x%" PRIx64 " (0x%" PRIx64 " bytes) in %s", addr, len,
                 who);
        return tool_fail(rc, what);
    }
    if (o->json)
        fputs(first ? "]\n" : "\n]\n", o->out);
    return EXIT_OK;
}
