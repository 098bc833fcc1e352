// SPDX-License-Identifier: MIT
/* A huge-page area as the library describes it: the listing equals /proc/self/maps line for line
 * and both query paths find it. Reserves one huge page itself when it runs as root (and puts
 * /proc/sys/vm/nr_hugepages back); otherwise reports a skip. */
#include "areas_util.h"
#include "sysfs.h"

static char raw[1 << 20];

static void check_area(void *p, size_t size)
{
    mmapc_areas *it;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    size_t len = au_read_all("/proc/self/maps", raw, sizeof raw);
    CHECK(au_compare(raw, len, it) > 0);
    mmapc_areas_close(it);

    mmapc_area listed, a;
    char path[512], buf[512];
    REQUIRE(au_find(MMAPC_SELF, p, &listed, path, sizeof path) == 0);
    CHECK(listed.start == (uintptr_t)p && listed.end == (uintptr_t)p + size);
    CHECK(listed.prot == MMAPC_PROT_RW && !listed.shared);
    for (int text = 0; text < 2; text++) {
        mmapc_proc *proc;
        REQUIRE_OK(mmapc_proc_open(&proc, MMAPC_SELF, text ? MMAPC_PROC_TEXT : 0));
        CHECK_OK(mmapc_proc_query(proc, (uintptr_t)p, &a, buf, sizeof buf));
        CHECK(au_same(&a, &listed));
        CHECK_OK(mmapc_proc_query(proc, (uintptr_t)p + size - 1, &a, buf, sizeof buf));
        CHECK(au_same(&a, &listed));
        mmapc_proc_close(proc);
    }
}

int main(void)
{
    size_t huge = mmapc_default_huge_page_size();
    if (huge == 0) {
        fprintf(stderr, "skipped: this system has no huge pages\n");
        return CHECK_SKIP_CODE;
    }
    if (check_under_emulator()) {
        fprintf(stderr, "skipped: huge pages under an emulator\n");
        return CHECK_SKIP_CODE;
    }
    char nr_path[128], free_path[128];
    snprintf(nr_path, sizeof nr_path, "/sys/kernel/mm/hugepages/hugepages-%zukB/nr_hugepages",
             huge / 1024);
    snprintf(free_path, sizeof free_path, "/sys/kernel/mm/hugepages/hugepages-%zukB/free_hugepages",
             huge / 1024);
    long old = read_long(nr_path);
    int raised = 0;
    if (read_long(free_path) < 1) {
        if (geteuid() != 0 || old < 0) {
            /* a write to sysfs: the real root, which a user namespace does not give */
            fprintf(stderr, "skipped: no free huge page, and reserving one needs root (a write to "
                            "sysfs that a user namespace does not allow)\n");
            return CHECK_SKIP_CODE;
        }
        raised = write_long(nr_path, old + 1) == 0;
        if (!raised || read_long(free_path) < 1) {
            if (raised)
                write_long(nr_path, old);
            fprintf(stderr, "skipped: could not reserve a huge page (memory too fragmented?)\n");
            return CHECK_SKIP_CODE;
        }
    }
    void *p =
        mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "mmap(MAP_HUGETLB) of %zu bytes: %s\n", huge, strerror(errno));
        CHECK(p != MAP_FAILED);
    } else {
        memset(p, 1, huge);
        check_area(p, huge);
        munmap(p, huge);
    }
    if (raised && write_long(nr_path, old) != 0)
        fprintf(stderr, "could not put nr_hugepages back to %ld\n", old);
    return check_done();
}
