// SPDX-License-Identifier: MIT
/*
 * A MMAPC_SELF handle used in a forked child that closed the descriptor it inherited and opened a
 * file of its own that got the same number: the handle must describe the child through a
 * descriptor of its own and leave the child's file where it is, also when the child only closes
 * the handle.
 */
#include "areas_util.h"

#include <sys/stat.h>

/* Non-zero when link names the file qemu-user answers an open of the process's own maps with: it
 * serves that listing itself, from a memfd it fills ("/memfd:qemu-open (deleted)") or, without
 * memfd_create, an unlinked temporary file ("qemu-open.XXXXXX"). */
static int emulator_maps(const char *link)
{
    return check_under_emulator() && strstr(link, "qemu-open") != NULL;
}

/* The descriptor of ours that reads /proc/<pid>/maps (the handle's), or -1. */
static int maps_fd(void)
{
    char want[64], path[64], link[256];
    snprintf(want, sizeof want, "/proc/%d/maps", (int)getpid());
    int found = -1;
    for (int fd = 0; fd < 1024; fd++) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(path, link, sizeof link - 1);
        if (n <= 0)
            continue;
        link[n] = '\0';
        if (strcmp(link, want) == 0 || emulator_maps(link)) {
            if (found >= 0)
                return -1; /* more than one: the test cannot tell which */
            found = fd;
        }
    }
    return found;
}

/* In the child: put a file of our own at number fd; its path goes to path. */
static void take_number(int fd, char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/mmapc-fork-fd-XXXXXX", dir && *dir ? dir : "/tmp");
    REQUIRE(close(fd) == 0);
    int f = mkstemp(path);
    REQUIRE(f >= 0);
    if (f != fd) { /* a lower number was free: move it */
        REQUIRE(dup2(f, fd) == fd);
        close(f);
    }
    REQUIRE(write(fd, "child", 5) == 5);
}

/* Non-zero when fd is still the file at path (same inode, same name). */
static int still_mine(int fd, const char *path, const struct stat *was)
{
    struct stat st;
    char link[64], name[512];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (fstat(fd, &st) != 0 || n <= 0)
        return 0;
    name[n] = '\0';
    return st.st_dev == was->st_dev && st.st_ino == was->st_ino && strcmp(name, path) == 0;
}

/* The child's part; returns its exit status (the number of failed checks). */
static int child(mmapc_proc *p, int fd)
{
    char path[256];
    take_number(fd, path, sizeof path);
    struct stat was;
    REQUIRE(fstat(fd, &was) == 0);
    /* a page only the child has: a query that reads the parent could not find it */
    long page = sysconf(_SC_PAGESIZE);
    char *mine = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(mine != MAP_FAILED);
    mmapc_area a;
    char buf[256];
    CHECK_OK(mmapc_proc_query(p, (uint64_t)(uintptr_t)mine, &a, buf, sizeof buf));
    CHECK(a.start <= (uintptr_t)mine && (uintptr_t)mine < a.end && a.prot == MMAPC_PROT_READ);
    CHECK(still_mine(fd, path, &was));
    /* the iteration through the handle sees the child too */
    mmapc_areas *it;
    int found = 0, rc;
    CHECK_OK(mmapc_proc_areas(&it, p, (uintptr_t)mine, (uintptr_t)mine + 1));
    while ((rc = mmapc_areas_next(it, &a)) > 0)
        found += a.start <= (uintptr_t)mine && (uintptr_t)mine < a.end;
    CHECK(rc == 0 && found == 1);
    mmapc_areas_close(it);
    CHECK(still_mine(fd, path, &was));
    mmapc_proc_close(p);
    /* closing the handle closes only its own descriptor */
    CHECK(still_mine(fd, path, &was));
    char back[8] = {0};
    CHECK(pread(fd, back, 5, 0) == 5 && memcmp(back, "child", 5) == 0);
    unlink(path);
    return check_failures;
}

/* A child that closes the handle without using it: the number is the child's file now. */
static int child_close_only(mmapc_proc *p, int fd)
{
    char path[256];
    take_number(fd, path, sizeof path);
    struct stat was;
    REQUIRE(fstat(fd, &was) == 0);
    mmapc_proc_close(p);
    CHECK(still_mine(fd, path, &was));
    unlink(path);
    return check_failures;
}

static void run(int pid_asked, unsigned flags, int use)
{
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, pid_asked, flags));
    mmapc_area a;
    CHECK_OK(mmapc_proc_query(p, (uint64_t)(uintptr_t)&a, &a, NULL, 0));
    int fd = maps_fd();
    REQUIRE(fd >= 0);
    fflush(NULL);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        _exit((use ? child(p, fd) : child_close_only(p, fd)) ? 1 : 0);
    int status;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the parent's handle is untouched */
    CHECK(maps_fd() == fd);
    CHECK_OK(mmapc_proc_query(p, (uint64_t)(uintptr_t)&a, &a, NULL, 0));
    mmapc_proc_close(p);
    CHECK(maps_fd() == -1);
}

int main(void)
{
    run(MMAPC_SELF, 0, 1);               /* queries by PROCMAP_QUERY where the kernel has it */
    run(MMAPC_SELF, MMAPC_PROC_TEXT, 1); /* queries from the text */
    run(MMAPC_SELF, 0, 0);               /* no query: only the close */
    run((int)getpid(), 0, 0);            /* a handle for a pid (the parent's), closed in a child */
    return check_done();
}
