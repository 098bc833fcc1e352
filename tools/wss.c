// SPDX-License-Identifier: MIT
/*
 * mmapc wss PID: the working set of each area during each interval, as wss.pl measures it: the
 * accessed (and, where the system keeps soft-dirty bits, written) bits are cleared, the tool
 * sleeps, and each area's bits are read back (mmapc_proc_wss_reset, mmapc_proc_wss_areas).
 *
 * One block per interval, printed whole once read (a failure part of the way prints nothing of
 * that interval): text, a row per area and a total row; or JSON, one object per line (as watch
 * prints its looks). A figure the system cannot measure is "-" in text and null in JSON.
 */
#include "tool.h"

#include <stdlib.h>

typedef struct wss_total {
    uint64_t accessed, written;
    unsigned known; /* the bits every area knew */
} wss_total;

static void text_cell(obuf *b, uint64_t v, int known)
{
    if (known)
        ob_u64(b, v / 1024, 12);
    else
        ob_str(b, "           -");
}

static void json_value(obuf *b, const char *key, uint64_t v, int known)
{
    ob_str(b, key);
    if (known)
        ob_u64(b, v, 0);
    else
        ob_str(b, "null");
}

static void text_row(obuf *b, const mmapc_area *a, const mmapc_wss *w)
{
    ob_hex(b, a->start, 16);
    ob_char(b, '-');
    ob_hex(b, a->end, 16);
    text_cell(b, w->accessed, (w->known & MMAPC_WSS_ACCESSED) != 0);
    text_cell(b, w->written, (w->known & MMAPC_WSS_WRITTEN) != 0);
    ob_str(b, "  ");
    ob_area_name(b, a);
    ob_char(b, '\n');
}

static void json_row(obuf *b, const mmapc_area *a, const mmapc_wss *w, int first)
{
    ob_str(b, first ? "" : ", ");
    ob_area_json_fields(b, a);
    json_value(b, ", \"accessed\": ", w->accessed, (w->known & MMAPC_WSS_ACCESSED) != 0);
    json_value(b, ", \"written\": ", w->written, (w->known & MMAPC_WSS_WRITTEN) != 0);
    ob_char(b, '}');
}

/* Read the figures of every area of proc into b as one block; 0 or an mmapc error code. */
static int one_block(obuf *b, const tool_opts *o, mmapc_proc *proc, unsigned what, long look,
                     double t)
{
    mmapc_wss_areas *it;
    int rc = mmapc_proc_wss_areas(&it, proc, 0, UINT64_MAX, what);
    if (rc)
        return rc;
    char head[96];
    if (o->json) {
        snprintf(head, sizeof head, "{\"interval\": %ld, \"time\": %.3f, \"areas\": [", look + 1,
                 t);
        ob_str(b, head);
    } else {
        snprintf(head, sizeof head, "interval %ld (%.1fs)\n", look + 1, t);
        ob_str(b, head);
        snprintf(head, sizeof head, "%-17s%-16s%12s%12s  %s\n", "START", "END", "ACCESSED_KB",
                 "WRITTEN_KB", "NAME");
        ob_str(b, head);
    }
    wss_total sum = {0, 0, what};
    mmapc_area a;
    mmapc_wss w;
    int first = 1;
    while ((rc = mmapc_wss_areas_next(it, &a, &w)) == 1) {
        sum.accessed += w.accessed;
        sum.written += w.written;
        sum.known &= w.known;
        if (o->json)
            json_row(b, &a, &w, first);
        else
            text_row(b, &a, &w);
        first = 0;
    }
    mmapc_wss_areas_close(it);
    if (rc < 0)
        return rc;
    if (o->json) {
        json_value(b, "], \"total\": {\"accessed\": ", sum.accessed,
                   (sum.known & MMAPC_WSS_ACCESSED) != 0);
        json_value(b, ", \"written\": ", sum.written, (sum.known & MMAPC_WSS_WRITTEN) != 0);
        ob_str(b, "}}\n");
    } else {
        ob_str(b, "total                            "); /* 33: as wide as a range */
        text_cell(b, sum.accessed, (sum.known & MMAPC_WSS_ACCESSED) != 0);
        text_cell(b, sum.written, (sum.known & MMAPC_WSS_WRITTEN) != 0);
        ob_char(b, '\n');
    }
    return 0;
}

int cmd_wss(const tool_opts *o, int pid)
{
    char name[40];
    tool_pid_name(pid, name, sizeof name);
    unsigned what;
    mmapc_wss_support(&what);
    if (!what)
        return tool_fail(MMAPC_EUNSUPPORTED, "measuring the working set");
    mmapc_proc *proc;
    int rc = mmapc_proc_open(&proc, pid, o->proc_flags);
    if (rc)
        return tool_fail(rc, name);
    obuf *b = malloc(sizeof *b);
    if (!b) {
        mmapc_proc_close(proc);
        return tool_fail(MMAPC_ENOMEM, name);
    }
    ob_init(b, o->out);
    int status = EXIT_OK;
    double t0 = tool_now_seconds();
    for (long look = 0; o->count == 0 || look < o->count; look++) {
        rc = mmapc_proc_wss_reset(proc, what);
        if (rc == 0) {
            tool_sleep_seconds(o->interval);
            ob_hold(b); /* a block is printed whole or not at all */
            rc = one_block(b, o, proc, what, look, tool_now_seconds() - t0);
        }
        if (rc == 0 && ob_oom(b))
            rc = MMAPC_ENOMEM;
        if (rc) {
            ob_discard(b);
            status = tool_fail(rc, name);
            break;
        }
        ob_flush(b);
        if (fflush(o->out) != 0 || ferror(o->out))
            break; /* a write error: tool_close_stdout() says so */
    }
    free(b);
    mmapc_proc_close(proc);
    return status;
}
