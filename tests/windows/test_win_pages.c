// SPDX-License-Identifier: MIT
/* Page state on Windows: every third page of a committed region touched is present, as
 * QueryWorkingSetEx (asked here directly, page by page) says, the others not; a page of a file
 * view read is a present section page; a freed range between two regions is an unmapped run;
 * what Windows does not tell is unknown; bad input and an ended process are refused. */
#include "check.h"

#include <psapi.h>

static size_t ps;

static int in_working_set(const char *p)
{
    PSAPI_WORKING_SET_EX_INFORMATION info;
    info.VirtualAddress = (void *)p;
    REQUIRE(QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info));
    return info.VirtualAttributes.Valid;
}

static mmapc_page_run runs[1024];

static void test_region(mmapc_proc *self)
{
    enum { PAGES = 600 }; /* more than two batches of the library's queries */
    char *p = VirtualAlloc(NULL, PAGES * ps, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    REQUIRE(p != NULL);
    for (size_t i = 0; i < PAGES; i += 3)
        p[i * ps] = 1;
    size_t n = 0;
    uint64_t next = 0, at = (uintptr_t)p;
    CHECK_OK(mmapc_proc_pages(self, (uintptr_t)p, PAGES * ps, 0, runs, 1024, &n, &next));
    CHECK(next == (uintptr_t)p + PAGES * ps);
    size_t present = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(runs[i].start == at);
        CHECK((runs[i].unknown & MMAPC_PAGE_SWAPPED) && (runs[i].unknown & MMAPC_PAGE_FRAME));
        CHECK(!(runs[i].flags & (MMAPC_PAGE_UNMAPPED | MMAPC_PAGE_FILE)));
        for (uint64_t k = 0; k < runs[i].pages; k++) {
            const char *q = (const char *)(uintptr_t)(runs[i].start + k * ps);
            CHECK(!!(runs[i].flags & MMAPC_PAGE_PRESENT) == in_working_set(q));
        }
        if (runs[i].flags & MMAPC_PAGE_PRESENT) {
            present += runs[i].pages;
            CHECK(runs[i].flags & MMAPC_PAGE_EXCLUSIVE);
        }
        at += runs[i].pages * ps;
    }
    CHECK(at == (uintptr_t)p + PAGES * ps);
    CHECK(present >= PAGES / 3); /* every touched page: present after the touch */
    /* in pieces, one run at a time, the same runs */
    size_t got = 0;
    for (at = (uintptr_t)p; at < (uintptr_t)p + PAGES * ps && got < n; got++) {
        mmapc_page_run r;
        size_t k;
        CHECK_OK(mmapc_proc_pages(self, at, (uintptr_t)p + PAGES * ps - at, 0, &r, 1, &k, &next));
        REQUIRE(k == 1);
        CHECK(r.start == runs[got].start && r.flags == runs[got].flags);
        at = next;
    }
    VirtualFree(p, 0, MEM_RELEASE);
}

static void test_file_and_hole(mmapc_proc *self)
{
    char path[MAX_PATH], dir[MAX_PATH];
    REQUIRE(GetTempPathA(sizeof dir, dir) && GetTempFileNameA(dir, "mpg", 0, path));
    HANDLE f = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    REQUIRE(f != INVALID_HANDLE_VALUE);
    HANDLE m = CreateFileMappingA(f, NULL, PAGE_READWRITE, 0, (DWORD)(4 * ps), NULL);
    REQUIRE(m != NULL);
    volatile char *v = MapViewOfFile(m, FILE_MAP_WRITE, 0, 0, 4 * ps);
    REQUIRE(v != NULL);
    v[0] = 1;
    mmapc_page_run r;
    size_t n;
    uint64_t next;
    CHECK_OK(mmapc_proc_pages(self, (uintptr_t)v, ps, 0, &r, 1, &n, &next));
    CHECK(n == 1 && (r.flags & MMAPC_PAGE_PRESENT) && (r.flags & MMAPC_PAGE_FILE));
    UnmapViewOfFile((void *)v);
    CloseHandle(m);
    CloseHandle(f);

    /* a hole: three pages reserved, the middle one given back is not possible on Windows, so two
     * regions with a free range between them */
    char *a = VirtualAlloc(NULL, 3 * 65536, MEM_RESERVE, PAGE_NOACCESS);
    REQUIRE(a != NULL);
    VirtualFree(a, 0, MEM_RELEASE);
    char *lo = VirtualAlloc(a, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    char *hi = VirtualAlloc(a + 2 * 65536, 65536, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (lo == a && hi == a + 2 * 65536) {
        mmapc_page_run h[8];
        CHECK_OK(mmapc_proc_pages(self, (uintptr_t)a, 3 * 65536, 0, h, 8, &n, &next));
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (h[i].flags == MMAPC_PAGE_UNMAPPED && h[i].start == (uintptr_t)a + 65536 &&
                h[i].pages * ps == 65536)
                found = 1;
        CHECK(found);
    } else {
        CHECK_SKIP("the free range was taken in between");
    }
    if (lo)
        VirtualFree(lo, 0, MEM_RELEASE);
    if (hi)
        VirtualFree(hi, 0, MEM_RELEASE);
}

static void test_bad_input(mmapc_proc *self)
{
    mmapc_page_run r = {1};
    size_t n = 5;
    uint64_t next = 6;
    CHECK_RC(mmapc_proc_pages(self, 65536, UINT64_MAX, 0, &r, 1, &n, &next), MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(self, UINT64_MAX - ps + 1, ps, 0, &r, 1, &n, &next),
             MMAPC_EINVAL_OFFSET);
    CHECK_RC(mmapc_proc_pages(NULL, 65536, ps, 0, &r, 1, &n, &next), MMAPC_EINVAL_ARG);
    CHECK(n == 5 && next == 6 && r.start == 1);
    CHECK_OK(mmapc_proc_pages(self, 65536, 0, 0, &r, 1, &n, &next));
    CHECK(n == 0 && next == 65536);
}

static void test_ended(void)
{
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    char cmd[] = "cmd.exe /c exit 0";
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        CHECK_SKIP("cannot start cmd.exe");
        return;
    }
    mmapc_proc *p;
    int rc = mmapc_proc_open(&p, (int)pi.dwProcessId, 0);
    WaitForSingleObject(pi.hProcess, 10000);
    if (rc == 0) {
        mmapc_page_run r;
        size_t n;
        uint64_t next;
        CHECK_RC(mmapc_proc_pages(p, 65536, ps, 0, &r, 1, &n, &next), MMAPC_ESRCH);
        mmapc_proc_close(p);
    } else {
        CHECK(rc == MMAPC_ESRCH);
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

int main(void)
{
    ps = mmapc_page_size();
    unsigned rep = mmapc_pages_reported();
    CHECK((rep & MMAPC_PAGE_PRESENT) && !(rep & MMAPC_PAGE_SWAPPED) && !(rep & MMAPC_PAGE_FRAME));
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    test_region(self);
    test_file_and_hole(self);
    test_bad_input(self);
    mmapc_proc_close(self);
    test_ended();
    return check_done();
}
