// SPDX-License-Identifier: MIT
/* A file reservation checks the file's access when it is made, as mmapc_map_file() does: a
 * shared writable reservation of a read-only file is MMAPC_EACCES at once (not at commit), and a
 * refused reservation leaves no descriptor and no memory area behind. */
#include "platform.h"
#include "testutil.h"

/* The number of memory areas of this process, to see that nothing was left mapped. Where the
 * platform cannot describe areas (tests/platform.h) it says so, and the system's own listing
 * counts them (the generic POSIX build runs on Linux). */
static long count_areas(void)
{
    mmapc_areas *it = NULL;
#if PLATFORM_AREAS == PROMISE_NO
    CHECK_RC(mmapc_areas_open(&it, MMAPC_SELF), MMAPC_EUNSUPPORTED);
    CHECK(it == NULL);
#ifndef __linux__
    return 0; /* no listing to count: the descriptor checks stand alone */
#endif
    FILE *maps = fopen("/proc/self/maps", "r");
    REQUIRE(maps != NULL);
    long lines = 0;
    for (int c; (c = getc(maps)) != EOF;)
        lines += c == '\n';
    fclose(maps);
    return lines;
#else
    mmapc_area a;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    long n = 0;
    int rc;
    while ((rc = mmapc_areas_next(it, &a)) > 0)
        n++;
    REQUIRE(rc == 0);
    mmapc_areas_close(it);
    return n;
#endif
}

/* Reserving (and mapping) f, opened as how says, with prot and flags gives want. */
static void check_case(mmapc_file f, const char *how, mmapc_prot prot, unsigned flags, int want)
{
    size_t page = mmapc_page_size();
    mmapc_options o = {.flags = flags};
    mmapc_map *m = NULL;
    /* once to warm up whatever the call and the count allocate (a sanitizer's allocator maps
     * memory for a size it meets for the first time) */
    if (mmapc_reserve_file(&m, page, prot, f, 0, &o) == 0)
        mmapc_unmap(m);
    int files = tu_open_files();
    long areas = count_areas();
    m = NULL;
    int rc = mmapc_reserve_file(&m, page, prot, f, 0, &o);
    if (rc != want)
        fprintf(stderr, "reserve %s prot %d flags %#x: %s, expected %s\n", how, (int)prot, flags,
                mmapc_err_name(rc), mmapc_err_name(want));
    CHECK(rc == want);
    if (rc == 0) {
        CHECK(tu_open_files() > files); /* the reservation's own duplicate (Windows: and more) */
        int committed = mmapc_commit(m);
        CHECK(committed == 0);
        if (committed == 0)
            CHECK(((volatile unsigned char *)mmapc_ptr(m))[1] == tu_pattern(1));
        mmapc_unmap(m);
        CHECK(tu_open_files() == files);
    } else {
        CHECK(m == NULL);
        CHECK(tu_open_files() == files);
        CHECK(count_areas() == areas);
    }
    /* mapping at once agrees */
    m = NULL;
    CHECK_RC(mmapc_map_file(&m, page, prot, f, 0, &o), want);
    mmapc_unmap(m);
}

int main(void)
{
    char path[TU_PATH_MAX];
    mmapc_file f = tu_temp_file(NULL, 2 * mmapc_page_size(), path);
    tu_close(f);

    f = tu_open(path, 0);
    check_case(f, "read-only", MMAPC_PROT_RW, MMAPC_SHARED, MMAPC_EACCES);
    check_case(f, "read-only", MMAPC_PROT_READ, MMAPC_SHARED, 0);
    check_case(f, "read-only", MMAPC_PROT_RW, 0, 0); /* private: copy-on-write needs only read */
    tu_close(f);
    f = tu_open(path, 1);
    check_case(f, "read-write", MMAPC_PROT_RW, MMAPC_SHARED, 0);
    tu_close(f);
#ifndef _WIN32
    /* a write-only descriptor cannot be mapped at all */
    f = open(path, O_WRONLY | O_CLOEXEC);
    REQUIRE(f >= 0);
    check_case(f, "write-only", MMAPC_PROT_READ, 0, MMAPC_EACCES);
    check_case(f, "write-only", MMAPC_PROT_RW, MMAPC_SHARED, MMAPC_EACCES);
    close(f);
#endif

    tu_remove(path);
    return check_done();
}
