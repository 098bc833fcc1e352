// SPDX-License-Identifier: MIT
/*
 * Windows: the CodeView (RSDS) build ID of this program (linked with one) equals the record in
 * its file, here and in a child; a region that is not an image has none. Another process's
 * memory: random ranges read from a child equal its data, a range that runs into an inaccessible
 * page gives the exact count before it, and a write is seen by the child.
 */
#include "check.h"

#include <stdint.h>

#define DATA_SIZE (64 * 1024)
#define PAGE 4096

static unsigned char data[DATA_SIZE];
/* In the child: its region of two pages, the second inaccessible; read by the parent. */
static volatile uint64_t child_region;

static unsigned char child_byte(size_t i)
{
    uint32_t x = (uint32_t)i * 2654435761u + 12345u;
    x ^= x >> 15;
    return (unsigned char)(x * 2246822519u >> 24);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The CodeView record of this program's file, found as a linker's reader would: the debug
 * directory's file offsets (PointerToRawData), not the mapped image mmapc reads. Returns the
 * number of RSDS records. */
static int file_rsds(unsigned char out[20])
{
    wchar_t self[MAX_PATH];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    HANDLE f = CreateFileW(self, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    REQUIRE(f != INVALID_HANDLE_VALUE);
    static unsigned char b[8 << 20];
    DWORD got = 0;
    REQUIRE(ReadFile(f, b, sizeof b, &got, NULL));
    CloseHandle(f);
    uint32_t nt = u32(b + 0x3c);
    REQUIRE(nt + 24 + 240 < got && memcmp(b + nt, "PE\0\0", 4) == 0);
    unsigned sections = b[nt + 6] | b[nt + 7] << 8, opt = b[nt + 20] | b[nt + 21] << 8;
    unsigned magic = b[nt + 24] | b[nt + 25] << 8;
    uint32_t dir = u32(b + nt + 24 + (magic == 0x20b ? 112 : 96) + 6 * 8);
    uint32_t dir_size = u32(b + nt + 24 + (magic == 0x20b ? 112 : 96) + 6 * 8 + 4);
    /* the debug directory's RVA to a file offset, through the section table */
    const unsigned char *sec = b + nt + 24 + opt;
    uint32_t dir_off = 0;
    for (unsigned i = 0; i < sections; i++, sec += 40)
        if (dir >= u32(sec + 12) && dir < u32(sec + 12) + u32(sec + 16))
            dir_off = dir - u32(sec + 12) + u32(sec + 20);
    REQUIRE(dir_off != 0 && dir_off + dir_size <= got);
    int found = 0;
    for (uint32_t e = dir_off; e + 28 <= dir_off + dir_size; e += 28) {
        uint32_t raw = u32(b + e + 24);
        if (u32(b + e + 12) == 2 && raw + 24 <= got && memcmp(b + raw, "RSDS", 4) == 0) {
            memcpy(out, b + raw + 4, 20);
            found++;
        }
    }
    return found;
}

static int child_main(const char *ready_name, const char *verify_name)
{
    for (size_t i = 0; i < DATA_SIZE; i++)
        data[i] = child_byte(i);
    unsigned char *r = VirtualAlloc(NULL, 2 * PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    DWORD old;
    if (!r || !VirtualProtect(r + PAGE, PAGE, PAGE_NOACCESS, &old))
        return 2;
    child_region = (uintptr_t)r;
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, ready_name);
    HANDLE verify = OpenEventA(SYNCHRONIZE, FALSE, verify_name);
    if (!ready || !verify || !SetEvent(ready))
        return 3;
    if (WaitForSingleObject(verify, 60000) != WAIT_OBJECT_0)
        return 4;
    /* the parent wrote 100 bytes of i * 3 at the end of the first page */
    for (size_t i = 0; i < 100; i++)
        if (r[PAGE - 100 + i] != (unsigned char)(i * 3))
            return 5;
    return 0;
}

static void test_self_build_id(unsigned char want[20])
{
    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, MMAPC_SELF, 0));
    mmapc_build_id id;
    CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)&test_self_build_id, &id));
    CHECK(id.size == 20 && memcmp(id.bytes, want, 20) == 0);
    CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)data, &id)); /* another section, same image */
    CHECK(id.size == 20 && memcmp(id.bytes, want, 20) == 0);
    void *heap = VirtualAlloc(NULL, PAGE, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    REQUIRE(heap);
    CHECK_OK(mmapc_proc_build_id(p, (uintptr_t)heap, &id));
    CHECK(id.size == 0);
    VirtualFree(heap, 0, MEM_RELEASE);
    CHECK_RC(mmapc_proc_build_id(p, (uintptr_t)heap, &id), MMAPC_ENOTFOUND);
    /* a system DLL: an image, with or without a record, never an error */
    CHECK_OK(mmapc_proc_build_id(
        p, (uintptr_t)GetProcAddress(GetModuleHandleA("kernel32.dll"), "VirtualAlloc"), &id));
    mmapc_proc_close(p);
}

static void test_child(const unsigned char want[20])
{
    wchar_t self[MAX_PATH], cmd[MAX_PATH + 200];
    REQUIRE(GetModuleFileNameW(NULL, self, MAX_PATH) > 0);
    char ready_name[64], verify_name[64];
    snprintf(ready_name, sizeof ready_name, "mmapc-pm-ready-%lu", GetCurrentProcessId());
    snprintf(verify_name, sizeof verify_name, "mmapc-pm-verify-%lu", GetCurrentProcessId());
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, ready_name);
    HANDLE verify = CreateEventA(NULL, TRUE, FALSE, verify_name);
    REQUIRE(ready && verify);
    _snwprintf(cmd, MAX_PATH + 200, L"\"%ls\" --child %hs %hs", self, ready_name, verify_name);
    cmd[MAX_PATH + 199] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    REQUIRE(CreateProcessW(self, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    REQUIRE(WaitForSingleObject(ready, 30000) == WAIT_OBJECT_0);

    mmapc_proc *p;
    REQUIRE_OK(mmapc_proc_open(&p, (int)pi.dwProcessId, 0));
    /* the child's image: where its copy of data lies */
    uint64_t base = 0;
    mmapc_areas *it;
    mmapc_area a;
    REQUIRE_OK(mmapc_proc_areas(&it, p, 0, UINT64_MAX));
    const char *exe = "test_win_proc_mem.exe";
    while (mmapc_areas_next(it, &a) == 1)
        if (!base && a.kind == MMAPC_AREA_FILE && a.path_len > strlen(exe) &&
            _stricmp(a.path + a.path_len - strlen(exe), exe) == 0)
            base = a.allocation_base;
    mmapc_areas_close(it);
    REQUIRE(base != 0);
    /* the child's memory use: told for every area where the system can tell it (Windows), or
     * refused as not supported when the iteration opens (wine), never an error part of the way */
    int urc = mmapc_proc_areas_usage(&it, p, 0, UINT64_MAX);
    CHECK(urc == 0 || urc == MMAPC_EUNSUPPORTED);
    if (urc == 0) {
        mmapc_area_usage u;
        size_t areas = 0, told = 0;
        while (mmapc_areas_next(it, &a) == 1) {
            areas++;
            told += mmapc_areas_usage(it, &u) == 0 && (u.known & MMAPC_USAGE_RSS);
        }
        CHECK(areas > 0 && told == areas);
        mmapc_areas_close(it);
    }
    uint64_t shift = base - (uintptr_t)GetModuleHandleW(NULL);
    uint64_t cdata = (uintptr_t)data + shift;

    mmapc_build_id id;
    CHECK_OK(mmapc_proc_build_id(p, base, &id));
    CHECK(id.size == 20 && memcmp(id.bytes, want, 20) == 0);

    /* random ranges of the child's data */
    static unsigned char buf[DATA_SIZE];
    size_t done;
    int bad = 0;
    uint32_t seed = 1;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t off = (seed >> 8) % DATA_SIZE;
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 8) % (DATA_SIZE - off + 1);
        if (mmapc_proc_read(p, cdata + off, buf, len, &done) != 0 || done != len) {
            bad++;
            continue;
        }
        for (size_t j = 0; j < len; j++)
            if (buf[j] != child_byte(off + j)) {
                bad++;
                break;
            }
    }
    CHECK(bad == 0);

    /* the child's region: its address, then a read and a write that run into the
     * inaccessible page */
    uint64_t region = 0;
    CHECK_OK(mmapc_proc_read(p, (uintptr_t)&child_region + shift, &region, sizeof region, &done));
    REQUIRE(done == sizeof region && region != 0);
    CHECK_OK(mmapc_proc_read(p, region + PAGE - 10, buf, 100, &done));
    CHECK(done == 10);
    CHECK_OK(mmapc_proc_read(p, region + PAGE, buf, 100, &done));
    CHECK(done == 0);
    for (size_t i = 0; i < 100; i++)
        buf[i] = (unsigned char)(i * 3);
    CHECK_OK(mmapc_proc_write(p, region + PAGE - 100, buf, 200, &done));
    CHECK(done == 100);
    REQUIRE(SetEvent(verify));
    REQUIRE(WaitForSingleObject(pi.hProcess, 30000) == WAIT_OBJECT_0);
    DWORD code = 99;
    GetExitCodeProcess(pi.hProcess, &code);
    CHECK(code == 0); /* the child saw the write */
    CHECK_RC(mmapc_proc_read(p, cdata, buf, 16, &done), MMAPC_ESRCH);
    mmapc_proc_close(p);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    CloseHandle(ready);
    CloseHandle(verify);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--child") == 0)
        return child_main(argv[2], argv[3]);
    unsigned char want[20];
    REQUIRE(file_rsds(want) == 1); /* linked with --build-id: one record */
    test_self_build_id(want);
    test_child(want);
    return check_done();
}
