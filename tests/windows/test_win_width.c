// SPDX-License-Identifier: MIT
/*
 * Areas of a process are seen over its whole address space, not only the low 4 GiB: memory
 * reserved at the top of this process is found by a query and by iteration, here and in another
 * process. A 32-bit program on 64-bit Windows (WOW64) cannot see past 4 GiB, so opening a 64-bit
 * process from it is MMAPC_EUNSUPPORTED, not a listing that ends early.
 */
#include "testutil.h"

#define FOUR_GIB ((uint64_t)1 << 32)

/* The highest end among the areas of pid, and whether one of them starts at want. */
static uint64_t highest(int pid, uint64_t want, int *found)
{
    mmapc_areas *it = NULL;
    REQUIRE_OK(mmapc_areas_open(&it, pid));
    mmapc_area a;
    uint64_t top = 0;
    int rc;
    *found = 0;
    while ((rc = mmapc_areas_next(it, &a)) == 1) {
        top = a.end > top ? a.end : top;
        *found |= a.start == want;
    }
    CHECK(rc == 0);
    mmapc_areas_close(it);
    return top;
}

/* A process to look at, running this program with --wait; returns once it is up. */
static PROCESS_INFORMATION start_child(const wchar_t *exe, const wchar_t *args)
{
    wchar_t cmd[MAX_PATH + 200];
    _snwprintf(cmd, MAX_PATH + 200, L"\"%ls\" %ls", exe, args);
    cmd[MAX_PATH + 199] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    return pi;
}

static void stop_child(PROCESS_INFORMATION *pi)
{
    TerminateProcess(pi->hProcess, 0);
    WaitForSingleObject(pi->hProcess, INFINITE);
    CloseHandle(pi->hThread);
    CloseHandle(pi->hProcess);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--wait") == 0) {
        /* reserve the top of the address space, say where, and wait to be ended */
        void *top = VirtualAlloc(NULL, 1 << 16, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS);
        HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, argv[2]);
        printf("%llx\n", (unsigned long long)(uintptr_t)top);
        fflush(stdout);
        if (!top || !ready || !SetEvent(ready))
            return 2;
        Sleep(60000);
        return 0;
    }

    BOOL wow = FALSE;
    IsWow64Process(GetCurrentProcess(), &wow);
    int wide = sizeof(void *) == 8; /* this program sees 64-bit addresses */

    /* this process */
    void *top = VirtualAlloc(NULL, 1 << 16, MEM_RESERVE | MEM_TOP_DOWN, PAGE_NOACCESS);
    REQUIRE(top != NULL);
    if (wide)
        CHECK((uint64_t)(uintptr_t)top >= FOUR_GIB);
    mmapc_area a;
    CHECK_OK(mmapc_area_query(MMAPC_SELF, (uintptr_t)top, &a, NULL, 0));
    CHECK(a.start == (uintptr_t)top);
    int found = 0;
    uint64_t end = highest(MMAPC_SELF, (uintptr_t)top, &found);
    CHECK(found && end > (uintptr_t)top);
    VirtualFree(top, 0, MEM_RELEASE);

    /* another process of this program: its top reservation, read from its output */
    wchar_t self[MAX_PATH];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    char name[64];
    wchar_t args[100];
    snprintf(name, sizeof name, "mmapc-width-ready-%lu", GetCurrentProcessId());
    _snwprintf(args, 100, L"--wait %hs", name);
    args[99] = 0;
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, name);
    REQUIRE(ready != NULL);
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    HANDLE rd, wr;
    REQUIRE(CreatePipe(&rd, &wr, &sa, 0));
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    wchar_t cmd[MAX_PATH + 200];
    _snwprintf(cmd, MAX_PATH + 200, L"\"%ls\" %ls", self, args);
    cmd[MAX_PATH + 199] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    CloseHandle(wr);
    REQUIRE(WaitForSingleObject(ready, 30000) == WAIT_OBJECT_0);
    char out[64] = {0};
    DWORD got = 0;
    REQUIRE(ReadFile(rd, out, sizeof out - 1, &got, NULL) && got > 0);
    CloseHandle(rd);
    CloseHandle(ready);
    uint64_t theirs = strtoull(out, NULL, 16);
    if (wide)
        CHECK(theirs >= FOUR_GIB);
    end = highest((int)pi.dwProcessId, theirs, &found);
    if (!found)
        fprintf(stderr,
                "the other process's reservation at %llx is not listed (highest end %llx)\n",
                (unsigned long long)theirs, (unsigned long long)end);
    CHECK(found && end > theirs);
    stop_child(&pi);

    /* a 32-bit program on 64-bit Windows and a 64-bit process: refused up front */
    if (!wide && wow) {
        wchar_t cmd64[MAX_PATH];
        REQUIRE(GetWindowsDirectoryW(cmd64, MAX_PATH) > 0);
        wcscat(cmd64, L"\\Sysnative\\cmd.exe");
        PROCESS_INFORMATION p64 = start_child(cmd64, L"/c pause");
        Sleep(500);
        mmapc_proc *proc = NULL;
        CHECK_RC(mmapc_proc_open(&proc, (int)p64.dwProcessId, 0), MMAPC_EUNSUPPORTED);
        CHECK(proc == NULL);
        stop_child(&p64);
    } else {
        CHECK_SKIP("not a 32-bit program on 64-bit Windows: no 64-bit process to refuse");
    }
    return check_done();
}
