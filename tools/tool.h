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
    EXIT_FAILED = 3     /* anything else: permission, unreadable listing, out of memory */
};

/* Print "mmapc: WHAT: <message>" for an mmapc error code and return the exit status for it. */
int tool_fail(int rc, const char *what);

/* The areas of pid (MMAPC_SELF for the tool), all of them, as a table or JSON. notes may name
 * some of them (see demo.c). */
typedef struct tool_note {
    uint64_t start, end;
    const char *text;
} tool_note;
int tool_print_areas(int pid, unsigned proc_flags, int json, const tool_note *notes, int nnotes);

/* Give each of descriptors 0, 1 and 2 that is closed /dev/null, read-only: a write to it then
 * fails, and the library cannot get that number for a file of its own. Call first in main(). */
void tool_guard_std_fds(void);
/* Flush and close stdout; on a write error print "mmapc: write error: ..." and return
 * EXIT_FAILED, otherwise return status. */
int tool_close_stdout(int status);

int cmd_info(int json, unsigned proc_flags);
int cmd_page_sizes(int json);
int cmd_demo(int json, unsigned proc_flags);

#endif
