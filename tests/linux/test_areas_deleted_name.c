// SPDX-License-Identifier: MIT
/*
 * Linux prints " (deleted)" after the name of a deleted file, so a live file whose own name ends
 * so looks deleted. The area's device and inode, compared with the file at the whole name, tell
 * the two apart: a live "x (deleted)" keeps its whole name and is not deleted; a deleted file
 * is still deleted, also when another file has taken its name plus the suffix.
 * Checked through every path: direct queries, text queries and iteration.
 */
#include "areas_util.h"

static char dir[256];

/* Map a page of a new file dir/name (shared, read-write); its path goes to path. */
static char *map_new(const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    long page = sysconf(_SC_PAGESIZE);
    REQUIRE(ftruncate(fd, page) == 0);
    char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    REQUIRE(p != MAP_FAILED);
    close(fd);
    return p;
}

/* The area at p, through each path, has this path and deletion mark. */
static void expect(const void *p, const char *path, int deleted)
{
    mmapc_area a;
    char buf[512];
    uint64_t addr = (uint64_t)(uintptr_t)p;
    for (unsigned flags = 0; flags <= MMAPC_PROC_TEXT; flags += MMAPC_PROC_TEXT) {
        mmapc_proc *proc;
        REQUIRE_OK(mmapc_proc_open(&proc, MMAPC_SELF, flags));
        CHECK_OK(mmapc_proc_query(proc, addr, &a, buf, sizeof buf));
        if (strcmp(a.path, path) != 0 || a.deleted != deleted || a.path_len != strlen(path))
            fprintf(stderr, "%s query: '%s' deleted %d, expected '%s' deleted %d\n",
                    flags ? "text" : "direct", a.path, a.deleted, path, deleted);
        CHECK(strcmp(a.path, path) == 0 && a.path_len == strlen(path));
        CHECK(a.deleted == deleted && a.kind == MMAPC_AREA_FILE);
        mmapc_proc_close(proc);
    }
    CHECK(au_find(MMAPC_SELF, p, &a, buf, sizeof buf) == 0);
    if (strcmp(a.path, path) != 0 || a.deleted != deleted)
        fprintf(stderr, "iteration: '%s' deleted %d, expected '%s' deleted %d\n", a.path, a.deleted,
                path, deleted);
    CHECK(strcmp(a.path, path) == 0 && a.deleted == deleted && a.path_len == strlen(path));
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/mmapc-deleted-name-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    REQUIRE(mkdtemp(dir) != NULL);
    char live[300], gone[300], gone_suffixed[300], other[300], impostor[300];

    /* a live file named "x (deleted)" */
    char *p_live = map_new("x (deleted)", live, sizeof live);
    expect(p_live, live, 0);

    /* a deleted file: the suffix goes, the mark stays */
    char *p_gone = map_new("y", gone, sizeof gone);
    REQUIRE(unlink(gone) == 0);
    expect(p_gone, gone, 1);

    /* a deleted file whose own name ends in " (deleted)": printed with the suffix twice */
    char *p_gs = map_new("z (deleted)", gone_suffixed, sizeof gone_suffixed);
    REQUIRE(unlink(gone_suffixed) == 0);
    expect(p_gs, gone_suffixed, 1);

    /* a deleted file "w", while another file is named "w (deleted)": not the area's file */
    char *p_other = map_new("w", other, sizeof other);
    REQUIRE(unlink(other) == 0);
    char *p_imp = map_new("w (deleted)", impostor, sizeof impostor);
    expect(p_other, other, 1);
    expect(p_imp, impostor, 0);

    long page = sysconf(_SC_PAGESIZE);
    munmap(p_live, (size_t)page);
    munmap(p_gone, (size_t)page);
    munmap(p_gs, (size_t)page);
    munmap(p_other, (size_t)page);
    munmap(p_imp, (size_t)page);
    unlink(live);
    unlink(impostor);
    REQUIRE(rmdir(dir) == 0);
    return check_done();
}
