// SPDX-License-Identifier: MIT
/* A generic POSIX system has no way to describe memory areas: every call is MMAPC_EUNSUPPORTED. */
#include "posix.h"

int mmapc__os_proc_open(int pid, unsigned flags, mmapc__proc **out)
{
    (void)pid;
    (void)flags;
    (void)out;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_proc_close(mmapc__proc *p)
{
    (void)p; /* never opened */
}

int mmapc__os_area_from(mmapc__proc *p, uint64_t addr, mmapc_area *out, char *name, size_t cap,
                        size_t *name_len)
{
    (void)p;
    (void)addr;
    (void)out;
    (void)name;
    (void)cap;
    (void)name_len;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_area_direct(mmapc__proc *p)
{
    (void)p;
    return 0;
}

int mmapc__os_name_is_file(const char *name, const mmapc_area *a)
{
    (void)name;
    (void)a;
    return 0;
}

/* The text here (none) escapes nothing. */
size_t mmapc__os_text_name(mmapc__proc *p, const mmapc_area *a, char *name, size_t len)
{
    (void)p;
    (void)a;
    (void)name;
    return len;
}

int mmapc__os_text_open(mmapc__proc *p, mmapc__text *t)
{
    (void)p;
    (void)t;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

int mmapc__os_text_read(mmapc__text *t, char *buf, size_t cap, size_t *got)
{
    (void)t;
    (void)buf;
    (void)cap;
    (void)got;
    return mmapc__fail(MMAPC_EUNSUPPORTED);
}

void mmapc__os_text_close(mmapc__text *t)
{
    (void)t;
}
