// SPDX-License-Identifier: MIT
/*
 * Working set on Windows: after a reset (the working set emptied), the accessed bytes of a region
 * are exactly the pages QueryWorkingSetEx finds valid in it, asked here directly; the pages
 * touched after the reset are among them and a region never touched has none. Whether the reset
 * really trimmed is asked of QueryWorkingSetEx too (wine's SetProcessWorkingSetSize succeeds and
 * may leave every page in: then that is said, and the relations above still hold). Another
 * process: measured while it runs, MMAPC_ESRCH once it has ended; written bytes are unknown.
 */
#include "check.h"

#include <psapi.h>
#include <stdint.h>

#define PAGES 64
#define K 16

static size_t ps;

static uint64_t valid_bytes(const volatile char *p, size_t pages)
{
    uint64_t n = 0;
    for (size_t i = 0; i < pages; i++) {
        PSAPI_WORKING_SET_EX_INFORMATION info;
        info.VirtualAddress = (void *)(p + i * ps);
        REQUIRE(QueryWorkingSetEx(GetCurrentProcess(), &info, sizeof info));
        n += info.VirtualAttributes.Valid ? ps : 0;
    }
    return n;
}

static void figures(mmapc_proc *p, uintptr_t addr, mmapc_area *a, mmapc_wss *w)
{
    mmapc_wss_areas *it;
    REQUIRE_OK(
        mmapc_proc_wss_areas(&it, p, addr, addr + 1, MMAPC_WSS_ACCESSED | MMAPC_WSS_WRITTEN));
    CHECK_RC(mmapc_wss_areas_next(it, a, w), 1);
    mmapc_wss_areas_close(it);
}

static void test_self(void)
{
    unsigned support = 0;
    CHECK_OK(mmapc_wss_support(&support));
    CHECK(support == MMAPC_WSS_ACCESSED);
    mmapc_proc *self;
    REQUIRE_OK(mmapc_proc_open(&self, MMAPC_SELF, 0));
    CHECK_RC(mmapc_proc_wss_reset(self, MMAPC_WSS_WRITTEN), MMAPC_EUNSUPPORTED);
    volatile char *a = VirtualAlloc(NULL, PAGES * ps, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    volatile char *b = VirtualAlloc(NULL, PAGES * ps, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    REQUIRE(a && b);
    for (size_t i = 0; i < PAGES; i++)
        a[i * ps] = 1;
    CHECK(valid_bytes(a, PAGES) == PAGES * ps);
    CHECK_OK(mmapc_proc_wss_reset(self, MMAPC_WSS_ACCESSED));
    uint64_t left = valid_bytes(a, PAGES);
    if (left == 0)
        printf("the reset emptied the working set\n");
    else
        printf("the reset left %llu bytes of %u in the working set (wine does not trim it)\n",
               (unsigned long long)left, (unsigned)(PAGES * ps));
    char sum = 0;
    for (size_t i = 0; i < K; i++)
        sum = (char)(sum + a[i * ps]);
    mmapc_area area;
    mmapc_wss w;
    figures(self, (uintptr_t)a, &area, &w);
    CHECK(area.start == (uintptr_t)a && area.end == (uintptr_t)a + PAGES * ps);
    CHECK(w.known == MMAPC_WSS_ACCESSED && w.written == 0);
    CHECK(w.accessed == valid_bytes(a, PAGES)); /* what QueryWorkingSetEx says */
    CHECK(w.accessed >= K * ps);
    figures(self, (uintptr_t)b, &area, &w);
    CHECK(w.accessed == 0 && w.known == MMAPC_WSS_ACCESSED);
    VirtualFree((void *)a, 0, MEM_RELEASE);
    VirtualFree((void *)b, 0, MEM_RELEASE);
    mmapc_proc_close(self);
    (void)sum;
}

/* A child that waits for the event named on its command line. */
static void test_child(void)
{
    wchar_t self[MAX_PATH], cmd[MAX_PATH + 100];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    char name[64];
    snprintf(name, sizeof name, "mmapc-wss-go-%lu", GetCurrentProcessId());
    HANDLE go = CreateEventA(NULL, TRUE, FALSE, name);
    REQUIRE(go);
    _snwprintf(cmd, MAX_PATH + 100, L"\"%ls\" --child %hs", self, name);
    cmd[MAX_PATH + 99] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, (int)pi.dwProcessId, 0));
    CHECK_OK(mmapc_proc_wss_reset(p, MMAPC_WSS_ACCESSED));
    /* whether the system answers QueryWorkingSetEx about another process (wine: not) */
    HANDLE q = OpenProcess(PROCESS_QUERY_INFORMATION, FALSE, pi.dwProcessId);
    REQUIRE(q);
    PSAPI_WORKING_SET_EX_INFORMATION info;
    info.VirtualAddress = (void *)GetModuleHandleA(NULL); /* the image: at the same address */
    DWORD err = QueryWorkingSetEx(q, &info, sizeof info) ? 0 : GetLastError();
    CloseHandle(q);
    mmapc_wss_areas *it;
    int rc = mmapc_proc_wss_areas(&it, p, 0, UINT64_MAX, MMAPC_WSS_ACCESSED);
    if (err) {
        /* the library passes the system's refusal on when the iteration opens: a question it
         * cannot answer (wine's ERROR_INVALID_PARAMETER) as not supported, another as the
         * error it is */
        printf("QueryWorkingSetEx of another process fails here (error %lu): %s\n", err,
               mmapc_err_name(rc));
        CHECK(rc < 0);
        if (err == ERROR_INVALID_PARAMETER)
            CHECK_RC(rc, MMAPC_EUNSUPPORTED);
        else
            CHECK(mmapc_last_os_error() == (int)err);
    } else {
        REQUIRE_OK(rc);
        mmapc_area a;
        mmapc_wss w;
        int n = 0;
        while ((rc = mmapc_wss_areas_next(it, &a, &w)) == 1) {
            CHECK(w.known == MMAPC_WSS_ACCESSED && w.accessed <= a.end - a.start);
            n++;
        }
        CHECK_RC(rc, 0);
        CHECK(n > 0);
        mmapc_wss_areas_close(it);
    }
    REQUIRE(SetEvent(go));
    REQUIRE(WaitForSingleObject(pi.hProcess, 30000) == WAIT_OBJECT_0);
    CHECK_RC(mmapc_proc_wss_reset(p, MMAPC_WSS_ACCESSED), MMAPC_ESRCH);
    mmapc_proc_close(p);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(go);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        HANDLE go = OpenEventA(SYNCHRONIZE, FALSE, argv[2]);
        return go && WaitForSingleObject(go, 60000) == WAIT_OBJECT_0 ? 0 : 1;
    }
    ps = mmapc_page_size();
    test_self();
    test_child();
    printf("%d checks, %d failures\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}
