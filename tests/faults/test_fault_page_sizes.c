// SPDX-License-Identifier: MIT
/*
 * The huge page sizes are read once per process (sysfs, and the default from /proc/meminfo).
 * A failure on the way at the first call (no descriptor free for the directory or the file, a
 * read error) must give an error or the true list, and must not be kept: the next call reads
 * again and gives the true list and default. Each case runs in a child, which starts with the
 * sizes not read yet.
 */
#include "interpose.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <sys/wait.h>

/* The sizes sysfs lists and the default /proc/meminfo names, read here without mmapc. */
static size_t sysfs_count;
static size_t meminfo_default;

static void read_truth(void)
{
    DIR *d = opendir("/sys/kernel/mm/hugepages");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        sysfs_count += strncmp(e->d_name, "hugepages-", 10) == 0;
    if (d)
        closedir(d);
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long long kb;
        if (sscanf(line, "Hugepagesize: %llu kB", &kb) == 1)
            meminfo_default = (size_t)kb * 1024;
    }
    if (f)
        fclose(f);
}

static int child(int cls, unsigned long n, int err)
{
    size_t sizes[16], count = 0;
    fault_arm(cls, n, err);
    int rc = mmapc_page_sizes(sizes, 16, &count);
    fault_arm(cls, 0, 0);
    int failures = 0;
    if (fault_injected() != 1) {
        fprintf(stderr, "%s %lu: no failure injected\n", fault_class_name(cls), n);
        failures++;
    }
    if (rc == 0 && count != 1 + sysfs_count) {
        fprintf(stderr, "%s %lu failed: %zu sizes, sysfs lists %zu huge ones\n",
                fault_class_name(cls), n, count, sysfs_count);
        failures++;
    }
    if (rc != 0 && (err == EINTR || (rc != MMAPC_ELIMIT && rc != MMAPC_EIO))) {
        /* an interrupted read is read again, never an error */
        fprintf(stderr, "%s %lu failed: %s\n", fault_class_name(cls), n, mmapc_err_name(rc));
        failures++;
    }
    /* nothing failed now: the truth */
    rc = mmapc_page_sizes(sizes, 16, &count);
    if (rc != 0 || count != 1 + sysfs_count) {
        fprintf(stderr, "%s %lu, then: %s, %zu sizes, sysfs lists %zu huge ones\n",
                fault_class_name(cls), n, mmapc_err_name(rc), count, sysfs_count);
        failures++;
    }
    size_t def = mmapc_default_huge_page_size();
    if (sysfs_count > 0 && meminfo_default && def != meminfo_default) {
        fprintf(stderr, "%s %lu, then: default %zu, /proc/meminfo says %zu\n",
                fault_class_name(cls), n, def, meminfo_default);
        failures++;
    }
    return failures ? 1 : 0;
}

int main(void)
{
    read_truth();
    static const struct {
        int cls;
        unsigned long n;
        int err;
    } cases[] = {
        {FAULT_open, 1, EMFILE}, /* the sysfs directory */
        {FAULT_read, 1, EIO},    /* its first entry */
        {FAULT_open, 2, EMFILE}, /* /proc/meminfo */
        {FAULT_read, 2, EIO},
        /* the first read of /proc/meminfo, after the directory's entries ("." and ".." too)
         * and the end of them */
        {FAULT_read, 0, EINTR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if ((cases[i].n == 0 || (cases[i].cls == FAULT_open && cases[i].n == 2)) &&
            sysfs_count == 0)
            continue; /* without huge pages /proc/meminfo is not read */
        fflush(NULL);
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        unsigned long n = cases[i].n ? cases[i].n : sysfs_count + 4;
        if (pid == 0)
            _exit(child(cases[i].cls, n, cases[i].err));
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    return check_done();
}
