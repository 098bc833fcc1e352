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
#error "tests/testutil.h: Windows implementation pending"
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

/* The byte tu_temp_file(NULL, ...) wrote at position i. */
static inline unsigned char tu_pattern(size_t i)
{
    return (unsigned char)(i * 7 + 1);
}

#endif
