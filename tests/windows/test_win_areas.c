// SPDX-License-Identifier: MIT
/* Windows memory areas: VirtualQueryEx regions of this process and of another, free regions left
 * out, the file of a view as a drive path, and the errors for a missing or a gone process. */
#include "winutil.h"

static size_t ps, gran;

static void test_own_mappings(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, 4 * ps, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_protect(m, MMAPC_PROT_READ));
    mmapc_map *back = NULL;
    REQUIRE_OK(mmapc_split_off(m, 2 * ps, &back));
    REQUIRE_OK(mmapc_protect(back, MMAPC_PROT_RX));
    uintptr_t base = mmapc_start(m);
    mmapc_area a;
    /* a query in the middle of a region reports the whole region */
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, base + ps + 5, &a, NULL, 0));
    CHECK(a.start == base && a.end == base + 2 * ps && a.allocation_base == base);
    CHECK(a.prot == MMAPC_PROT_READ && !a.shared && a.kind == MMAPC_AREA_ANON);
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_end(back) - 1, &a, NULL, 0));
    CHECK(a.start == mmapc_start(back) && a.end == mmapc_end(back) && a.allocation_base == base);
    CHECK(a.prot == (MMAPC_PROT_READ | MMAPC_PROT_EXEC));
    /* at the first byte of a region inside the allocation, and stepping through both */
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_start(back), &a, NULL, 0));
    CHECK(a.start == mmapc_start(back) && a.end == mmapc_end(back));
    mmapc_areas *it = NULL;
    REQUIRE_OK(mmapc_areas_open_range(&it, MMAPC_SELF, base, mmapc_end(back)));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == base && a.end == mmapc_start(back));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == mmapc_start(back));
    CHECK(mmapc_areas_next(it, &a) == 0);
    mmapc_areas_close(it);
    mmapc_unmap(back);
    mmapc_unmap(m);
    CHECK_RC(mmapc_area_query(MMAPC_SELF, base, &a, NULL, 0), MMAPC_ENOTFOUND);

    /* a reservation is an area without access */
    REQUIRE_OK(mmapc_reserve_anon(&m, gran, MMAPC_PROT_RW, NULL));
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_start(m), &a, NULL, 0));
    CHECK(a.start == mmapc_start(m) && a.prot == 0);
    mmapc_unmap(m);
}

/* The full path of a file as Windows spells it (long names, not 8.3). */
static void long_path(const char *path, char *out, size_t cap)
{
    char full[MAX_PATH];
    REQUIRE(GetFullPathNameA(path, MAX_PATH, full, NULL) > 0);
    DWORD n = GetLongPathNameA(full, out, (DWORD)cap);
    REQUIRE(n > 0 && n < cap);
}

static void test_file_view(void)
{
    char path[TU_PATH_MAX], want[MAX_PATH], got[MAX_PATH];
    mmapc_file f = tu_temp_file(NULL, 2 * gran, path);
    long_path(path, want, sizeof want);
    mmapc_map *s = NULL, *c = NULL;
    REQUIRE_OK(
        mmapc_map_file(&s, gran, MMAPC_PROT_RW, f, gran, &(mmapc_options){.flags = MMAPC_SHARED}));
    REQUIRE_OK(mmapc_map_file(&c, gran, MMAPC_PROT_RW, f, 0, NULL));
    mmapc_area a;
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_start(s), &a, got, sizeof got));
    CHECK(a.kind == MMAPC_AREA_FILE && a.shared && a.prot == MMAPC_PROT_RW);
    CHECK(a.path == got && a.path_len == strlen(want) && _stricmp(got, want) == 0);
    if (_stricmp(got, want) != 0)
        fprintf(stderr, "path %s, expected %s\n", got, want);
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_start(c), &a, got, sizeof got));
    CHECK(a.kind == MMAPC_AREA_FILE && !a.shared && _stricmp(got, want) == 0);
    /* too small a buffer: a truncated copy, the full length */
    char small[4];
    REQUIRE_OK(mmapc_area_query(MMAPC_SELF, mmapc_start(c), &a, small, sizeof small));
    CHECK(a.path_len == strlen(want) && strlen(small) == 3 && memcmp(small, want, 3) == 0);
    mmapc_unmap(s);
    mmapc_unmap(c);
    tu_close(f);
    tu_remove(path);
}

/* Iteration: ascending, no overlap, no free region, our own mapping among them. */
static void test_iteration(void)
{
    mmapc_map *m = NULL;
    REQUIRE_OK(mmapc_map_anon(&m, gran, MMAPC_PROT_RW, NULL));
    mmapc_areas *it = NULL;
    REQUIRE_OK(mmapc_areas_open(&it, MMAPC_SELF));
    mmapc_area a;
    uintptr_t last_end = 0;
    int n = 0, ordered = 1, found = 0, all_used = 1, rc;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        n++;
        ordered &= a.start >= last_end && a.end > a.start;
        all_used &= win_query((void *)a.start).State != MEM_FREE;
        found |= a.start == mmapc_start(m) && a.end == mmapc_end(m);
        last_end = a.end;
    }
    CHECK(rc == 0);
    CHECK(n > 10 && ordered && all_used && found);
    mmapc_areas_close(it);

    /* a range holds just what intersects it */
    REQUIRE_OK(mmapc_areas_open_range(&it, MMAPC_SELF, mmapc_start(m), mmapc_end(m)));
    CHECK(mmapc_areas_next(it, &a) == 1 && a.start == mmapc_start(m));
    CHECK(mmapc_areas_next(it, &a) == 0);
    mmapc_areas_close(it);
    mmapc_unmap(m);
}

/* Another process: its areas are listed; once it is gone, ESRCH. A pid nobody has: ESRCH. */
static void test_other_process(void)
{
    wchar_t self[MAX_PATH], cmd[MAX_PATH + 100];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    char name[64];
    snprintf(name, sizeof name, "mmapc-test-ready-%lu", GetCurrentProcessId());
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, name);
    REQUIRE(ready != NULL);
    _snwprintf(cmd, MAX_PATH + 100, L"\"%ls\" --wait %hs", self, name);
    cmd[MAX_PATH + 99] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    REQUIRE(WaitForSingleObject(ready, 30000) == WAIT_OBJECT_0); /* it runs its main() */
    CloseHandle(ready);
    mmapc_proc *proc = NULL;
    REQUIRE_OK(mmapc_proc_open(&proc, (int)pi.dwProcessId, 0));
    CHECK(mmapc_proc_direct(proc));
    mmapc_areas *it = NULL;
    REQUIRE_OK(mmapc_proc_areas(&it, proc, 0, UINTPTR_MAX));
    mmapc_area a;
    int n = 0, image = 0;
    const char *exe = "test_win_areas.exe";
    while (mmapc_areas_next(it, &a) == 1) {
        n++;
        /* the child's own image, by its path */
        image |= a.kind == MMAPC_AREA_FILE && a.path_len > strlen(exe) &&
                 _stricmp(a.path + a.path_len - strlen(exe), exe) == 0;
    }
    mmapc_areas_close(it);
    CHECK(n > 10 && image);
    TerminateProcess(pi.hProcess, 0);
    WaitForSingleObject(pi.hProcess, INFINITE);
    CHECK_RC(mmapc_proc_query(proc, 0x10000, &a, NULL, 0), MMAPC_ESRCH);
    mmapc_proc_close(proc);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    /* process ids are multiples of 4: this one cannot exist */
    CHECK_RC(mmapc_areas_open(&it, 4 * 1000003 + 1), MMAPC_ESRCH);
    /* the System process (pid 4) may not be read without the debug privilege */
    if (check_under_wine())
        CHECK_SKIP("wine lets any process read any other");
    else
        CHECK_RC(mmapc_areas_open(&it, 4), MMAPC_EACCES);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--wait") == 0) {
        /* a process to look at: it says it is up, and the test ends it */
        HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[2]);
        if (!ready || !SetEvent(ready))
            return 2;
        Sleep(60000);
        return 0;
    }
    ps = mmapc_page_size();
    gran = mmapc_allocation_granularity();
    test_own_mappings();
    test_file_view();
    test_iteration();
    test_other_process();
    return check_done();
}
