// SPDX-License-Identifier: MIT
/* Every call the Windows backend refuses leaves the process as it was: the regions VirtualQuery
 * reports and the open handles are the same before and after, and the mappings still work. */
#include "winutil.h"

static win_region before[WIN_MAX_REGIONS], after[WIN_MAX_REGIONS];

static size_t ps, gran;
static mmapc_map *rw, *ro_shared;
static mmapc_file file, ro_file, no_exec;

static int bad_calls(void)
{
    mmapc_map *m = NULL;
    int refused = 0, expected = 0;
    const mmapc_options shared = {.flags = MMAPC_SHARED};
    const mmapc_options at_rw = {.flags = MMAPC_FIXED_NOREPLACE, .address = mmapc_ptr(rw)};
    const mmapc_options shared_at_rw = {.flags = MMAPC_SHARED | MMAPC_FIXED_NOREPLACE,
                                        .address = mmapc_ptr(rw)};
    const mmapc_options replace_rw = {.unsafe_flags = MMAPC_UNSAFE_FIXED, .address = mmapc_ptr(rw)};
    const mmapc_options off_granularity = {.flags = MMAPC_FIXED_NOREPLACE,
                                           .address = (char *)mmapc_ptr(rw) + ps};
    const mmapc_options huge = {.flags = MMAPC_HUGE_PAGES};
#define REFUSE(call, code)                                                                         \
    do {                                                                                           \
        expected++;                                                                                \
        int rc_ = (call);                                                                          \
        refused += rc_ == (code);                                                                  \
        if (rc_ != (code))                                                                         \
            fprintf(stderr, "%s: %s\n", #call, mmapc_err_name(rc_));                               \
    } while (0)
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_RW, ro_file, 0, &shared), MMAPC_EACCES);
    REFUSE(mmapc_reserve_file(&m, gran, MMAPC_PROT_RW, ro_file, 0, &shared), MMAPC_EACCES);
    REFUSE(mmapc_map_anon(&m, gran, MMAPC_PROT_RW, &at_rw), MMAPC_EEXIST);
    REFUSE(mmapc_map_anon(&m, gran, MMAPC_PROT_RW, &replace_rw), MMAPC_EUNSUPPORTED);
    REFUSE(mmapc_reserve_anon(&m, gran, MMAPC_PROT_RW, &at_rw), MMAPC_EEXIST);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_RW, file, 0, &shared_at_rw), MMAPC_EEXIST);
    REFUSE(mmapc_reserve_file(&m, gran, MMAPC_PROT_RW, file, 0, &shared_at_rw), MMAPC_EEXIST);
    REFUSE(mmapc_map_anon(&m, gran, MMAPC_PROT_RW, &off_granularity), MMAPC_EINVAL_ADDR);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_READ, file, 0, &off_granularity), MMAPC_EINVAL_ADDR);
    if (GetLargePageMinimum())
        REFUSE(mmapc_reserve_anon(&m, GetLargePageMinimum(), MMAPC_PROT_RW, &huge),
               MMAPC_EUNSUPPORTED);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_READ, INVALID_HANDLE_VALUE, 0, NULL), MMAPC_EBADF);
    REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_READ, tu_closed_file(), 0, NULL), MMAPC_EBADF);
    REFUSE(mmapc_map_anon(&m, (size_t)1 << 62, MMAPC_PROT_RW, NULL), MMAPC_ENOMEM);
    REFUSE(mmapc_protect(ro_shared, MMAPC_PROT_RW), MMAPC_EACCES);
    if (!check_under_wine()) { /* wine gives execute access to any section */
        REFUSE(mmapc_protect(ro_shared, MMAPC_PROT_RX), MMAPC_EACCES);
        REFUSE(mmapc_map_file(&m, gran, MMAPC_PROT_RX, no_exec, 0, &shared), MMAPC_EACCES);
    }
#undef REFUSE
    CHECK(m == NULL);
    CHECK(refused == expected);
    return refused;
}

int main(void)
{
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
    char path[TU_PATH_MAX];
    file = tu_temp_file(NULL, 4 * gran, path);
    ro_file = CreateFileA(path, GENERIC_READ, TU_SHARE_ALL, NULL, OPEN_EXISTING, 0, NULL);
    no_exec =
        CreateFileA(path, GENERIC_READ | GENERIC_WRITE, TU_SHARE_ALL, NULL, OPEN_EXISTING, 0, NULL);
    REQUIRE(ro_file != INVALID_HANDLE_VALUE && no_exec != INVALID_HANDLE_VALUE);
    REQUIRE_OK(mmapc_map_anon(&rw, gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_map_file(&ro_shared, gran, MMAPC_PROT_READ, ro_file, 0,
                              &(mmapc_options){.flags = MMAPC_SHARED}));
    memset(mmapc_ptr(rw), 0x3c, gran);

    bad_calls(); /* once to warm up what is set up lazily (privileges, heap, wine's own) */
    int handles = tu_open_files();
    size_t n1 = win_snapshot(before);
    bad_calls();
    size_t n2 = win_snapshot(after);
    int unchanged = win_same_regions(before, n1, after, n2);
    CHECK(unchanged);
    CHECK(tu_open_files() == handles);

    /* and everything still works */
    unsigned char *p = mmapc_ptr(rw);
    CHECK(p[0] == 0x3c && p[gran - 1] == 0x3c);
    CHECK(win_query(p).Protect == PAGE_READWRITE);
    CHECK(mmapc_protection(ro_shared) == MMAPC_PROT_READ);
    CHECK(((unsigned char *)mmapc_ptr(ro_shared))[5] == tu_pattern(5));
    CHECK(win_query(mmapc_ptr(ro_shared)).Protect == PAGE_READONLY);
    mmapc_unmap(rw);
    mmapc_unmap(ro_shared);
    CloseHandle(no_exec);
    tu_close(ro_file);
    tu_close(file);
    tu_remove(path);
    return check_done();
}
