// SPDX-License-Identifier: MIT
/* mmapc demo: map one area of each kind with libmmapc, then list this process's areas with the
 * demo's own areas marked, so that a newcomer sees both halves of the library at work. */
#include "tool.h"

#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/prctl.h>
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif
#endif

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>

/* A temporary file of size bytes with a recognisable name; its path goes to path. */
static int demo_file(char *path, size_t cap, const char *name, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", name);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0 || pwrite(fd, "mmapc demo\n", 11, 0) != 11) {
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}
#else
#include <process.h> /* getpid */
#endif

#define MAX_NOTES 8

typedef struct demo {
    mmapc_map *maps[MAX_NOTES];
    tool_note notes[MAX_NOTES];
    int n;
} demo;

/* Keep a mapping and its note, or report why it could not be made. */
static int keep(demo *d, int rc, mmapc_map *m, const char *text)
{
    if (rc) {
        fprintf(stderr, "mmapc demo: %s: %s\n", text, mmapc_strerror(rc));
        return rc;
    }
    d->maps[d->n] = m;
    d->notes[d->n] = (tool_note){mmapc_start(m), mmapc_end(m), text};
    d->n++;
    return 0;
}

int cmd_demo(int json, unsigned proc_flags)
{
    demo d = {.n = 0};
    mmapc_map *m = NULL;
    size_t page = mmapc_page_size();
    int failed = 0;

    int rc = mmapc_map_anon(&m, 16 * page, MMAPC_PROT_RW, NULL);
    if (!keep(&d, rc, m, "demo: anonymous read+write"))
        memset(mmapc_ptr(m), 0xab, mmapc_size(m));
    failed |= rc;

    rc = mmapc_map_anon(&m, 4 * page, MMAPC_PROT_RW, NULL);
    if (!rc) {
        memcpy(mmapc_ptr(m), "constant", 9);
        rc = mmapc_protect(m, MMAPC_PROT_READ);
        if (rc)
            mmapc_unmap(m);
    }
    failed |= keep(&d, rc, m, "demo: read-only after a write");

    rc = mmapc_reserve_anon(&m, 256 * page, MMAPC_PROT_RW, NULL);
    failed |= keep(&d, rc, m, "demo: reserved, not committed (no access)");

#ifndef _WIN32
    char path[512], gone[512];
    int fd = demo_file(path, sizeof path, "mmapc-demo-file", 8 * page);
    rc = fd < 0 ? MMAPC_EIO : mmapc_map_file(&m, 8 * page, MMAPC_PROT_READ, fd, 0, NULL);
    failed |= keep(&d, rc, m, "demo: file, read-only");
    if (fd >= 0)
        close(fd);
    fd = demo_file(gone, sizeof gone, "mmapc-demo-deleted", 2 * page);
    rc = fd < 0 ? MMAPC_EIO
                : mmapc_map_file(&m, 2 * page, MMAPC_PROT_RW, fd, 0,
                                 &(mmapc_options){.flags = MMAPC_SHARED});
    failed |= keep(&d, rc, m, "demo: shared file, deleted since");
    if (fd >= 0) {
        close(fd);
        unlink(gone);
    }
#endif

    rc = mmapc_map_anon(&m, 2 * page, MMAPC_PROT_RW, NULL);
    const char *named = "demo: named anonymous memory";
#ifdef __linux__
    if (!rc && prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)mmapc_ptr(m),
                     (unsigned long)mmapc_size(m), (unsigned long)"mmapc demo") != 0)
        named = "demo: anonymous (this kernel cannot name areas)";
#endif
    failed |= keep(&d, rc, m, named);

    char intro[128];
    snprintf(intro, sizeof intro,
             "Mapped %d areas with libmmapc; the areas of this process (pid %ld) are now:\n\n", d.n,
             (long)getpid());
    int status = tool_print_areas(MMAPC_SELF, proc_flags, json, json ? NULL : intro, d.notes, d.n);

    for (int i = 0; i < d.n; i++)
        mmapc_unmap(d.maps[i]);
#ifndef _WIN32
    if (path[0])
        unlink(path);
#endif
    return status ? status : failed ? EXIT_FAILED : EXIT_OK;
}
