// SPDX-License-Identifier: MIT
// Assertions and temporary files for the tests of mmapc.hpp, without exceptions.
#ifndef MMAPC_TESTS_CXX_CHECK_HPP
#define MMAPC_TESTS_CXX_CHECK_HPP

#include "mmapc.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

inline int check_failures = 0;
inline int check_count = 0;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);          \
        }                                                                                          \
    } while (0)

// A condition without which the rest of the test cannot go on.
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "%s:%d: REQUIRE failed: %s\n", __FILE__, __LINE__, #cond);        \
            std::exit(1);                                                                          \
        }                                                                                          \
    } while (0)

// Whether the tests run under an emulator (qemu-user): the cross toolchains' emulator command sets
// MMAPC_TEST_EMULATOR, so a check that meets an emulator's limit can say so and skip that check.
inline bool check_under_emulator()
{
    const char *e = std::getenv("MMAPC_TEST_EMULATOR");
    return e && *e;
}

// A skipped check, with its reason (never a silent pass).
#define CHECK_SKIP(why) std::fprintf(stderr, "%s:%d: skipped: %s\n", __FILE__, __LINE__, why)

inline int check_done()
{
    std::printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}

// A temporary file of `len` bytes (byte i is i * 7 + 1), open for reading and writing.
struct temp_file {
    char path[512] = {0};
    mmapc_file file;

    explicit temp_file(std::size_t len)
    {
#ifdef _WIN32
        char dir[MAX_PATH];
        REQUIRE(GetTempPathA(MAX_PATH, dir) && GetTempFileNameA(dir, "mmc", 0, path));
        file = CreateFileA(path, GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
        REQUIRE(file != INVALID_HANDLE_VALUE);
#else
        const char *dir = std::getenv("TMPDIR");
        std::snprintf(path, sizeof path, "%s/mmapc-cxx-XXXXXX", dir && *dir ? dir : "/tmp");
        file = mkstemp(path);
        REQUIRE(file >= 0);
#endif
        unsigned char chunk[4096];
        for (std::size_t done = 0; done < len;) {
            std::size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
            for (std::size_t i = 0; i < n; i++)
                chunk[i] = static_cast<unsigned char>((done + i) * 7 + 1);
#ifdef _WIN32
            DWORD wrote = 0;
            REQUIRE(WriteFile(file, chunk, static_cast<DWORD>(n), &wrote, nullptr) && wrote == n);
#else
            REQUIRE(::write(file, chunk, n) == static_cast<ssize_t>(n));
#endif
            done += n;
        }
    }
    temp_file(const temp_file &) = delete;
    temp_file &operator=(const temp_file &) = delete;
    ~temp_file()
    {
#ifdef _WIN32
        CloseHandle(file);
        DeleteFileA(path);
#else
        close(file);
        unlink(path);
#endif
    }
};

#endif
