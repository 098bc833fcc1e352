// SPDX-License-Identifier: MIT
/* Shared memory objects across processes on Windows: a child started with inherited handles
 * takes up the object from the handle value it gets as an argument, a second process opens a
 * named object; inheritance is off unless asked; the ring's way without placeholders tries again
 * when a racing thread takes the range, and gives up after a bounded number of tries; refused
 * calls leave every region and handle as it was. */
#include "winutil.h"

/* The ring's test hooks (src/os/win32.h). */
extern int mmapc__win_ring_no_placeholders;
extern void (*mmapc__win_ring_gap)(void *addr, size_t size);

static size_t gran;

/* ---- the child: argv[1] says how to take up the object, argv[2] from what ---- */

static int child_main(const char *how, const char *what)
{
    mmapc_shm *shm = NULL;
    int rc = strcmp(how, "--handle") == 0
                 ? mmapc_shm_from_file(&shm, (HANDLE)(uintptr_t)_strtoui64(what, NULL, 10), NULL)
                 : mmapc_shm_open(&shm, what, NULL);
    if (rc)
        return 11;
    mmapc_map *v = NULL;
    if (mmapc_shm_map(&v, shm, 0, gran, MMAPC_PROT_RW, NULL))
        return 12;
    mmapc_shm_close(shm);
    unsigned char *p = mmapc_ptr(v);
    if (p[0] != 'P')
        return 13;
    p[1] = 'C';
    mmapc_unmap(v);
    return 0;
}

/* Run this program again with two arguments, inheriting handles; its exit code. */
static DWORD run_child(const char *how, const char *what)
{
    wchar_t self[MAX_PATH], cmd[MAX_PATH + 400];
    DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
    REQUIRE(n > 0 && n < MAX_PATH);
    _snwprintf(cmd, sizeof cmd / sizeof cmd[0], L"\"%ls\" %hs %hs", self, how, what);
    cmd[sizeof cmd / sizeof cmd[0] - 1] = 0;
    STARTUPINFOW si;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    PROCESS_INFORMATION pi;
    fflush(NULL);
    REQUIRE(CreateProcessW(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 0;
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

static int inheritable(HANDLE h)
{
    DWORD flags = 0;
    REQUIRE(GetHandleInformation(h, &flags));
    return (flags & HANDLE_FLAG_INHERIT) != 0;
}

static void test_inherit(void)
{
    mmapc_shm *shm = NULL, *plain = NULL, *dup = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(
        mmapc_shm_create(&shm, NULL, gran, &(mmapc_shm_options){.flags = MMAPC_SHM_INHERIT}));
    REQUIRE_OK(mmapc_shm_create(&plain, NULL, gran, NULL));
    CHECK(inheritable(mmapc_shm_file(shm)));
    CHECK(!inheritable(mmapc_shm_file(plain)));
    CHECK_OK(mmapc_shm_set_inherit(plain, 1));
    CHECK(inheritable(mmapc_shm_file(plain)));
    CHECK_OK(mmapc_shm_set_inherit(plain, 0));
    CHECK(!inheritable(mmapc_shm_file(plain)));
    REQUIRE_OK(mmapc_shm_from_file(&dup, mmapc_shm_file(shm), NULL));
    CHECK(!inheritable(mmapc_shm_file(dup)));
    mmapc_shm_close(dup);

    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, gran, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(v);
    p[0] = 'P';
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)(uintptr_t)mmapc_shm_file(shm));
    CHECK(run_child("--handle", num) == 0);
    CHECK(p[1] == 'C');
    mmapc_unmap(v);
    mmapc_shm_close(shm);
    mmapc_shm_close(plain);
}

static void test_named_child(void)
{
    char name[64];
    snprintf(name, sizeof name, "mmapc-test-%lu-share", (unsigned long)GetCurrentProcessId());
    mmapc_shm *shm = NULL;
    mmapc_map *v = NULL;
    REQUIRE_OK(mmapc_shm_create(&shm, name, gran, NULL));
    REQUIRE_OK(mmapc_shm_map(&v, shm, 0, gran, MMAPC_PROT_RW, NULL));
    unsigned char *p = mmapc_ptr(v);
    p[0] = 'P';
    CHECK(run_child("--name", name) == 0);
    CHECK(p[1] == 'C');
    mmapc_shm_close(shm);
    CHECK(run_child("--name", name) == 0); /* the view holds the object and its name */
    mmapc_unmap(v);
    CHECK(run_child("--name", name) == 11); /* gone with the last handle and view */
}

/* ---- the ring without placeholders ---- */

static win_region before[WIN_MAX_REGIONS], after[WIN_MAX_REGIONS];

static HANDLE go, done;
static void *volatile target;
static void *taken[128];
static volatile LONG gaps, takes_left;

/* The racing thread: takes the start of the range it is shown, as another thread of a program
 * would, while the library is between freeing the range and mapping there. */
static DWORD WINAPI racer(void *arg)
{
    (void)arg;
    for (;;) {
        WaitForSingleObject(go, INFINITE);
        if (!target)
            return 0;
        void *p = VirtualAlloc(target, gran, MEM_RESERVE, PAGE_NOACCESS);
        for (size_t i = 0; i < 128 && p; i++) {
            if (!taken[i]) {
                taken[i] = p;
                break;
            }
        }
        SetEvent(done);
    }
}

/* The racer takes the start of the range's second half, so the first view maps and the second
 * does not: the library must unmap the first before it tries again. */
static void on_gap(void *addr, size_t size)
{
    InterlockedIncrement(&gaps);
    if (takes_left > 0) {
        InterlockedDecrement(&takes_left);
        target = (char *)addr + size / 2;
        SetEvent(go);
        WaitForSingleObject(done, INFINITE);
    }
}

static void give_back(void)
{
    for (size_t i = 0; i < 128; i++) {
        if (taken[i])
            VirtualFree(taken[i], 0, MEM_RELEASE);
        taken[i] = NULL;
    }
}

static void test_ring_retry(void)
{
    go = CreateEventA(NULL, FALSE, FALSE, NULL);
    done = CreateEventA(NULL, FALSE, FALSE, NULL);
    REQUIRE(go && done);
    HANDLE thread = CreateThread(NULL, 0, racer, NULL, 0, NULL);
    REQUIRE(thread != NULL);
    mmapc__win_ring_no_placeholders = 1;
    mmapc__win_ring_gap = on_gap;

    /* taken twice: the third try maps it */
    gaps = 0;
    takes_left = 2;
    mmapc_ring *ring = NULL;
    REQUIRE_OK(mmapc_ring_create(&ring, 2 * gran));
    CHECK(gaps == 3);
    CHECK(taken[0] != NULL && taken[1] != NULL);
    unsigned char *p = mmapc_ring_ptr(ring);
    CHECK(p != taken[0] && p != taken[1]);
    memcpy(p + 2 * gran - 3, "ring!", 5);
    CHECK(memcmp(p, "g!", 2) == 0 && memcmp(p + 4 * gran - 3, "ring!", 3) == 0);
    mmapc_ring_free(ring);
    give_back();

    /* taken every time: a bounded number of tries, then MMAPC_ENOMEM, nothing left behind (the
     * second time: wine opens handles of its own the first time) */
    int files = 0;
    size_t n1 = 0;
    for (int round = 0; round < 2; round++) {
        gaps = 0;
        takes_left = 1000;
        ring = NULL;
        CHECK_RC(mmapc_ring_create(&ring, gran), MMAPC_ENOMEM);
        CHECK(ring == NULL);
        CHECK(gaps == 64);
        give_back();
        if (round == 0) {
            files = tu_open_files();
            n1 = win_snapshot(before);
        }
    }
    CHECK(tu_open_files() == files);
    size_t n2 = win_snapshot(after);
    CHECK(win_same_regions(before, n1, after, n2));

    /* untroubled, the way without placeholders maps at once */
    gaps = 0;
    takes_left = 0;
    REQUIRE_OK(mmapc_ring_create(&ring, gran));
    CHECK(gaps == 1);
    p = mmapc_ring_ptr(ring);
    p[gran] = 5;
    CHECK(p[0] == 5);
    mmapc_ring_free(ring);

    mmapc__win_ring_gap = NULL;
    mmapc__win_ring_no_placeholders = 0;
    target = NULL;
    SetEvent(go);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(go);
    CloseHandle(done);
}

/* ---- refused calls change nothing ---- */

static mmapc_shm *obj_a, *obj_b, *obj_ro, *obj_taken;
static mmapc_map *view_a, *view_b;
static char taken_name[64];

static int refused_calls(void)
{
    mmapc_shm *s = NULL;
    mmapc_map *m = NULL;
    mmapc_ring *ring = NULL;
    int refused = 0, calls = 0;
#define REFUSE(call, code) CHECK_REFUSED(&calls, &refused, call, code)
    REFUSE(mmapc_shm_create(&s, NULL, 0, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_shm_create(&s, "a/b", gran, NULL), MMAPC_EINVAL_NAME);
    REFUSE(mmapc_shm_create(&s, taken_name, gran, NULL), MMAPC_EEXIST);
    REFUSE(mmapc_shm_open(&s, "mmapc-test-no-such-name", NULL), MMAPC_ENOTFOUND);
    REFUSE(mmapc_shm_map(&m, obj_a, 4 * gran, gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_OFFSET);
    REFUSE(mmapc_shm_map(&m, obj_a, 2 * gran, 3 * gran, MMAPC_PROT_RW, NULL), MMAPC_EINVAL_SIZE);
    REFUSE(mmapc_shm_map(&m, obj_ro, 0, gran, MMAPC_PROT_RW, NULL), MMAPC_EACCES);
    REFUSE(mmapc_merge(view_a, view_b), MMAPC_EBACKING_MISMATCH);
    REFUSE(mmapc_ring_map(&ring, obj_a, 3 * gran, gran + 1), MMAPC_EINVAL_SIZE); /* rounded: past */
    REFUSE(mmapc_ring_map(&ring, obj_ro, 0, gran), MMAPC_EACCES);
    mmapc__win_ring_no_placeholders = 1;
    REFUSE(mmapc_ring_map(&ring, obj_ro, 0, gran), MMAPC_EACCES);
    mmapc__win_ring_no_placeholders = 0;
    REFUSE(mmapc_shm_resize(obj_a, gran), MMAPC_EUNSUPPORTED);
    REFUSE(mmapc_shm_seal(obj_a, MMAPC_SHM_SEAL_SHRINK), MMAPC_EUNSUPPORTED);
#undef REFUSE
    CHECK(s == NULL && m == NULL && ring == NULL);
    return refused == calls;
}

static void test_unchanged(void)
{
    snprintf(taken_name, sizeof taken_name, "mmapc-test-%lu-taken",
             (unsigned long)GetCurrentProcessId());
    REQUIRE_OK(mmapc_shm_create(&obj_a, NULL, 4 * gran, NULL));
    REQUIRE_OK(mmapc_shm_create(&obj_b, NULL, 4 * gran, NULL));
    REQUIRE_OK(mmapc_shm_create(&obj_taken, taken_name, gran, NULL));
    REQUIRE_OK(
        mmapc_shm_open(&obj_ro, taken_name, &(mmapc_shm_options){.flags = MMAPC_SHM_READ_ONLY}));
    unsigned char *at = win_free_range(2 * gran);
    REQUIRE_OK(mmapc_shm_map(&view_a, obj_a, 0, gran, MMAPC_PROT_RW,
                             &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at}));
    REQUIRE_OK(
        mmapc_shm_map(&view_b, obj_b, gran, gran, MMAPC_PROT_RW,
                      &(mmapc_options){.flags = MMAPC_FIXED_NOREPLACE, .address = at + gran}));

    CHECK(refused_calls()); /* once to warm up what wine sets up lazily */
    int handles = tu_open_files();
    size_t n1 = win_snapshot(before);
    CHECK(refused_calls());
    size_t n2 = win_snapshot(after);
    CHECK(win_same_regions(before, n1, after, n2));
    CHECK(tu_open_files() == handles);
    ((unsigned char *)mmapc_ptr(view_a))[0] = 1;
    ((unsigned char *)mmapc_ptr(view_b))[0] = 2;
    CHECK(at[0] == 1 && at[gran] == 2);
    mmapc_unmap(view_a);
    mmapc_unmap(view_b);
    mmapc_shm_close(obj_a);
    mmapc_shm_close(obj_b);
    mmapc_shm_close(obj_ro);
    mmapc_shm_close(obj_taken);
}

int main(int argc, char **argv)
{
    gran = mmapc_allocation_granularity();
    if (argc == 3)
        return child_main(argv[1], argv[2]);
    test_inherit();
    test_named_child();
    test_ring_retry();
    test_unchanged();
    return check_done();
}
