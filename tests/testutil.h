// SPDX-License-Identifier: MIT
/* Portable helpers for the tests: temporary files, reading them back, counting descriptors. */
#ifndef MMAPC_TESTS_TESTUTIL_H
#define MMAPC_TESTS_TESTUTIL_H

#include "check.h"

#include <stdint.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#else
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#define TU_PATH_MAX 512

#ifdef _WIN32
/* Files are opened for execution too, as a POSIX descriptor open for reading can be mapped
 * executable, so that a portable test sees the same rules on both. */
#define TU_ACCESS_RO (GENERIC_READ | GENERIC_EXECUTE)
#define TU_ACCESS_RW (GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE)
#define TU_SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

/* Create a temporary file holding len bytes of data (NULL: a byte pattern) and open it for
 * reading and writing; its path goes to path (TU_PATH_MAX bytes). */
static inline mmapc_file tu_temp_file(const void *data, size_t len, char *path)
{
    char dir[MAX_PATH];
    DWORD n = GetTempPathA(MAX_PATH, dir);
    REQUIRE(n > 0 && n < MAX_PATH);
    REQUIRE(GetTempFileNameA(dir, "mmc", 0, path) != 0);
    HANDLE h = CreateFileA(path, TU_ACCESS_RW, TU_SHARE_ALL, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    const unsigned char *src = data;
    unsigned char chunk[4096];
    size_t done = 0;
    while (done < len) {
        size_t k = len - done < sizeof chunk ? len - done : sizeof chunk;
        for (size_t i = 0; i < k; i++)
            chunk[i] = src ? src[done + i] : (unsigned char)((done + i) * 7 + 1);
        DWORD written = 0;
        REQUIRE(WriteFile(h, chunk, (DWORD)k, &written, NULL) && written == k);
        done += k;
    }
    return h;
}

/* Open an existing file read-only or read-write. */
static inline mmapc_file tu_open(const char *path, int writable)
{
    HANDLE h = CreateFileA(path, writable ? TU_ACCESS_RW : TU_ACCESS_RO, TU_SHARE_ALL, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    return h;
}

static inline void tu_close(mmapc_file f)
{
    CloseHandle(f);
}

/* A handle that is not open (nothing is opened between this and its use in the tests). */
static inline mmapc_file tu_closed_file(void)
{
    HANDLE h = CreateEventA(NULL, FALSE, FALSE, NULL);
    REQUIRE(h != NULL);
    CloseHandle(h);
    return h;
}

/* Read len bytes at offset of the file at path with ReadFile (not through a mapping). */
static inline void tu_read(const char *path, uint64_t offset, void *buf, size_t len)
{
    HANDLE h = CreateFileA(path, GENERIC_READ, TU_SHARE_ALL, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    REQUIRE(h != INVALID_HANDLE_VALUE);
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)offset;
    REQUIRE(SetFilePointerEx(h, at, NULL, FILE_BEGIN));
    size_t done = 0;
    while (done < len) {
        DWORD got = 0;
        REQUIRE(ReadFile(h, (char *)buf + done, (DWORD)(len - done), &got, NULL) && got > 0);
        done += got;
    }
    CloseHandle(h);
}

static inline uint64_t tu_file_size(const char *path)
{
    WIN32_FILE_ATTRIBUTE_DATA fa;
    REQUIRE(GetFileAttributesExA(path, GetFileExInfoStandard, &fa));
    return ((uint64_t)fa.nFileSizeHigh << 32) | fa.nFileSizeLow;
}

static inline void tu_remove(const char *path)
{
    DeleteFileA(path);
}

/* Cut or grow the open file f to size bytes. */
static inline void tu_truncate(mmapc_file f, uint64_t size)
{
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)size;
    REQUIRE(SetFilePointerEx(f, at, NULL, FILE_BEGIN) && SetEndOfFile(f));
}

/* How many handles the process has open, to prove nothing leaked. GetProcessHandleCount would
 * say it, but wine answers 0, so the handle values are probed instead: they are multiples of 4
 * handed out from the bottom of the process's table, far below 65536 in a test. */
static inline int tu_open_files(void)
{
    int n = 0;
    for (uintptr_t v = 4; v < 4 * 16384; v += 4) {
        DWORD flags;
        n += GetHandleInformation((HANDLE)v, &flags) != 0;
    }
    return n;
}
#else

/* Create a temporary file holding len bytes of data (NULL: a byte pattern) and open it for
 * reading and writing; its path goes to path (TU_PATH_MAX bytes). */
static inline mmapc_file tu_temp_file(const void *data, size_t len, char *path)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, TU_PATH_MAX, "%s/mmapc-test-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    const unsigned char *src = data;
    unsigned char chunk[4096];
    size_t done = 0;
    while (done < len) {
        size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = src ? src[done + i] : (unsigned char)((done + i) * 7 + 1);
        REQUIRE(write(fd, chunk, n) == (ssize_t)n);
        done += n;
    }
    return fd;
}

/* Open an existing file read-only or read-write. */
static inline mmapc_file tu_open(const char *path, int writable)
{
    int fd = open(path, writable ? O_RDWR : O_RDONLY);
    REQUIRE(fd >= 0);
    return fd;
}

static inline void tu_close(mmapc_file f)
{
    close(f);
}

/* A descriptor that is not open. */
static inline mmapc_file tu_closed_file(void)
{
    int fd = open("/dev/null", O_RDONLY);
    REQUIRE(fd >= 0);
    close(fd);
    return fd;
}

/* Read len bytes at offset of the file at path with read() (not through a mapping). */
static inline void tu_read(const char *path, uint64_t offset, void *buf, size_t len)
{
    int fd = open(path, O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(lseek(fd, (off_t)offset, SEEK_SET) == (off_t)offset);
    size_t done = 0;
    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        REQUIRE(n > 0);
        done += (size_t)n;
    }
    close(fd);
}

static inline uint64_t tu_file_size(const char *path)
{
    struct stat st;
    REQUIRE(stat(path, &st) == 0);
    return (uint64_t)st.st_size;
}

static inline void tu_remove(const char *path)
{
    unlink(path);
}

/* Cut or grow the open file f to size bytes. */
static inline void tu_truncate(mmapc_file f, uint64_t size)
{
    REQUIRE(ftruncate(f, (off_t)size) == 0);
}

/* How many descriptors (handles on Windows) the process has open, to prove nothing leaked. */
static inline int tu_open_files(void)
{
    DIR *d = opendir("/proc/self/fd");
    REQUIRE(d != NULL);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}
#endif

/* Address space of size bytes that is free (reserved, then given back), for mappings placed
 * exactly. */
static inline unsigned char *tu_free_range(size_t size)
{
    mmapc_map *r = NULL;
    REQUIRE_OK(mmapc_reserve_anon(&r, size, MMAPC_PROT_NONE, NULL));
    unsigned char *p = mmapc_ptr(r);
    mmapc_unmap(r);
    return p;
}

/* A pseudo-random number below bound (xorshift64: the same sequence in every run). */
static inline size_t tu_random(size_t bound)
{
    static uint64_t x = 0x9e3779b97f4a7c15u;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (size_t)(x % bound);
}

/* The byte tu_temp_file(NULL, ...) wrote at position i. */
static inline unsigned char tu_pattern(size_t i)
{
    return (unsigned char)(i * 7 + 1);
}

#endif
