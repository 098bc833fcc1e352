// SPDX-License-Identifier: MIT
/* The commands of the mmapc tool and what they share. */
#ifndef MMAPC_TOOL_H
#define MMAPC_TOOL_H

#include "print.h"

/* Exit statuses. */
enum {
    EXIT_OK = 0,
    EXIT_NOT_FOUND = 1, /* no area at the address, no such process */
    EXIT_USAGE = 2,     /* bad command line: unknown option, bad pid or address */
    EXIT_FAILED = 3     /* anything else: permission, unreadable listing or snapshot, memory */
};

/* What the command line asked for, beyond the command and its arguments. */
typedef struct tool_opts {
    FILE *out;           /* where the output goes (stdout; the benchmark passes its own) */
    int json;            /* --json */
    unsigned proc_flags; /* --text: MMAPC_PROC_TEXT */
    int extended;        /* -x: memory use per area */
    int build_id;        /* --build-id */
    const char *sort;    /* --sort COLUMN, NULL for address order */
    int context;         /* query --context N, -1 without */
    double interval;     /* watch, wss --interval S */
    long count;          /* watch, wss --count N, 0 for no end */
    const char *output;  /* report -o FILE, NULL for standard output */
    int svg;             /* report --svg */
} tool_opts;

/* Print "mmapc: WHAT: <message>" for an mmapc error code and return the exit status for it. */
int tool_fail(int rc, const char *what);
/* "this process" or "process PID", into buf. */
const char *tool_pid_name(int pid, char *buf, size_t size);
/* The command line of process pid (MMAPC_SELF: the tool's), its arguments joined by spaces, and
 * the path of its executable, in UTF-8 and malloc'd; NULL where the system does not tell them
 * (identity.c). */
char *tool_command_line(int pid);
char *tool_executable(int pid);

/* ---- snapshots: the areas of a process, held in memory (snapshot.c) ---- */

typedef struct tool_area {
    mmapc_area a;       /* a.path points into the snapshot's strings (valid after the read) */
    size_t path_off;    /* where the path is kept in the snapshot's strings */
    mmapc_area_usage u; /* memory use (u.known 0 without) */
    mmapc_build_id bid; /* build ID (--build-id; size 0 for none) */
} tool_area;

typedef struct tool_snapshot {
    tool_area *v;
    size_t n, cap;
    char *strings; /* the paths, one after the other, NUL-terminated */
    size_t strings_len, strings_cap;
    int has_usage;    /* use[] holds figures (read with -x, or from a snapshot with them) */
    int has_build_id; /* bid holds what was asked */
} tool_snapshot;

/* What tool_snapshot_read() gathers beyond the areas. */
enum {
    SNAP_USAGE = 1,          /* the memory use of each area */
    SNAP_USAGE_OPTIONAL = 2, /* where the system cannot tell it, the areas without */
    SNAP_BUILD_ID = 4        /* the build ID of each file area */
};

/* Call fn for each area of pid, with the figures `what` asks for (t->a.path valid during the
 * call only). fn returns 0 to go on, a positive number to stop (then 0 is returned), or a
 * negative MMAPC_E* code to fail. On failure the message is printed and the exit status
 * returned. *had_usage (may be NULL) tells whether the figures of memory use were read. */
typedef int (*tool_area_fn)(void *ctx, tool_area *t);
int tool_each_area(int pid, unsigned proc_flags, unsigned what, tool_area_fn fn, void *ctx,
                   int *had_usage);
/* Read the areas of pid into s (zeroed first), with the figures `what` asks for. On failure the
 * message is printed, s is empty and the exit status is returned; 0 on success. */
int tool_snapshot_read(tool_snapshot *s, int pid, unsigned proc_flags, unsigned what);
/* Append one area (its path copied) with its use (NULL: none); 0 or MMAPC_ENOMEM. */
int tool_snapshot_add(tool_snapshot *s, const mmapc_area *a, const mmapc_area_usage *u);
/* Point every a.path into the strings (after the last add). */
void tool_snapshot_fix_paths(tool_snapshot *s);
void tool_snapshot_free(tool_snapshot *s);
/* Sort by the column named (NULL or "address": by start). 0, or -1 for an unknown column. */
int tool_snapshot_sort(tool_snapshot *s, const char *column);
/* Whether --sort COLUMN needs the memory use. */
int tool_sort_needs_usage(const char *column);
/* The columns --sort accepts, for messages: "address, size, rss, ..." */
void tool_sort_columns(FILE *out);

/* ---- columns of memory use (usage.c) ---- */

typedef struct usage_col {
    const char *name;  /* as pmap -X and smaps print it: "Rss" */
    const char *json;  /* as the JSON field: "rss" */
    char json_key[32]; /* what goes before its value in an object: `, "rss": `, zero-padded */
    size_t json_key_len;
    uint64_t bit;  /* MMAPC_USAGE_* */
    size_t offset; /* of the field in mmapc_area_usage */
    int is_int;    /* an int field (THPeligible, ProtectionKey), not a size in bytes */
} usage_col;
extern const usage_col usage_cols[];
extern const int usage_ncols;
/* The index of a column named as in smaps or in JSON (case-insensitive), or -1. */
int usage_col_find(const char *name);
/* The value of column i of u (a size in bytes, or the int). */
uint64_t usage_value(const mmapc_area_usage *u, int i);
/* Whether the table shows column i when the areas know the bits `known` (Resident_Shared and
 * Resident_Private only where the four Shared_/Private_ figures are unknown). */
int usage_col_shown(int i, uint64_t known);
/* VmFlags as the kernel prints them ("rd mr mw me"), into out (3 * 64 + 1 bytes are enough);
 * returns the length. */
size_t usage_vm_flags_text(uint64_t flags, char *out, size_t size);

/* The -x table of a snapshot: pmap -X's columns, a totals row; JSON objects with the figures. */
int usage_print_table(FILE *out, const tool_snapshot *s, int build_id);
/* The same table of pid's areas, printed as they come (columns of fixed widths). */
int usage_stream_table(FILE *out, int pid, unsigned proc_flags, int build_id);
/* Whether an area is shared memory: shared anonymous memory, and the files of System V segments,
 * memfd, /dev/shm and shared /dev/zero (summary's "shmem"). */
int tool_area_is_shmem(const mmapc_area *a);
/* The figures of one area as JSON fields (", \"rss\": 4096..."), those known. */
void usage_json_fields(obuf *b, const mmapc_area_usage *u);

/* Give each of descriptors 0, 1 and 2 that is closed /dev/null, read-only: a write to it then
 * fails, and the library cannot get that number for a file of its own. Call first in main(). */
void tool_guard_std_fds(void);
/* Flush and close stdout; on a write error print "mmapc: write error: ..." and return
 * EXIT_FAILED, otherwise return status. */
int tool_close_stdout(int status);

/* The areas of pid (MMAPC_SELF for the tool), all of them, as a table or JSON, after intro
 * (may be NULL); nothing at all is printed when they cannot be read. notes may name some of
 * them (see demo.c). */
typedef struct tool_note {
    uint64_t start, end;
    const char *text;
} tool_note;
int tool_print_areas(int pid, unsigned proc_flags, int json, const char *intro,
                     const tool_note *notes, int nnotes);

/* ---- what changed between two snapshots (diff.c) ---- */

typedef enum change_kind { C_ADDED, C_REMOVED, C_RESIZED, C_PROTECTION, C_RSS } change_kind;

typedef struct change {
    change_kind kind;
    uint64_t start, end;  /* the piece (added, removed, protection) or the area now */
    const tool_area *was; /* the area before (removed, resized, protection, rss) */
    const tool_area *now; /* the area after (added, resized, protection, rss) */
} change;

typedef struct changes {
    change *v;
    size_t n, cap;
    int oom; /* a change was lost for want of memory */
} changes;

/* Append the changes from before to after (both sorted by address) to c, in the order of the
 * walk (the Rss changes last); the caller frees c->v. */
void tool_compare(const tool_snapshot *before, const tool_snapshot *after, changes *c);

/* ---- the commands ---- */
int cmd_areas(const tool_opts *o, int pid);
int cmd_query(const tool_opts *o, uint64_t addr, int pid);
int cmd_summary(const tool_opts *o, int pid);
int cmd_diff(const tool_opts *o, const char *a, const char *b);
int cmd_watch(const tool_opts *o, int pid);
/* wss PID: the working set of each area during each interval (wss.c). */
int cmd_wss(const tool_opts *o, int pid);
/* Seconds on a monotonic clock; sleep for s seconds (diff.c). */
double tool_now_seconds(void);
void tool_sleep_seconds(double s);
int cmd_info(int json, unsigned proc_flags);
int cmd_page_sizes(int json);
int cmd_demo(int json, unsigned proc_flags);
/* report: an HTML page (or with svg the picture alone) of pid, or of the snapshot file, or of
 * what changed from diff_a to the snapshot file (report.c). */
int cmd_report(const tool_opts *o, int pid, const char *snapshot, const char *diff_a);
/* pages PID ADDR [LEN] (has_len 0: to the end of the area that holds addr). */
int cmd_pages(const tool_opts *o, int pid, uint64_t addr, uint64_t len, int has_len);

/* ---- a snapshot read back from the tool's own JSON (json_read.c) ---- */

/* Read the file at path (written by `mmapc --json areas [-x]`) into s. 0, or a message printed
 * and EXIT_FAILED (cannot read, not JSON, not a snapshot). */
int tool_snapshot_load(tool_snapshot *s, const char *path);

#endif
