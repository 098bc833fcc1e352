// SPDX-License-Identifier: MIT
// A growable log in C++ (mmapc.hpp): records appended to a file mapping that grows in place into
// the address space it holds, a full disk handled as a value, then the file read back whole.
#include "mmapc.hpp"

#include <cstdio>
#include <cstring>
#include <string_view>

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace
{
mmapc_file open_log(const char *path)
{
#ifdef _WIN32
    return CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
#else
    return open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
#endif
}

void close_log(mmapc_file file)
{
#ifdef _WIN32
    CloseHandle(file);
#else
    close(file);
#endif
}

// Grow the mapping (and the file, its storage first) by one record and copy it in. A full disk
// is an answer, not an exception: the log keeps what it had.
bool append(mmapc::map &log, std::string_view record)
{
    std::size_t at = log.size();
    auto grown = log.try_resize(at + record.size(), MMAPC_RESIZE_MAY_MOVE);
    if (!grown) {
        std::fprintf(stderr, "append: %s; the log keeps its %zu bytes\n",
                     grown.error().message().c_str(), at);
        return false;
    }
    std::memcpy(log.bytes().subspan(at).data(), record.data(), record.size());
    return true;
}
} // namespace

int main()
{
    const char *path = "mmapc-growable-log.txt";
    mmapc_file file = open_log(path);
    int status = 0;
    try {
        // An empty file, 64 MiB of address space held after it: the log grows there in place.
        mmapc::options shared{};
        shared.flags = MMAPC_SHARED;
        mmapc::map log = mmapc::map::file_growable(MMAPC_TO_END, std::size_t(64) << 20,
                                                   MMAPC_PROT_RW, file, 0, shared);
        const void *start = log.ptr();
        for (std::string_view record : {"first record\n", "second record\n", "third record\n"})
            if (!append(log, record))
                break;
        std::printf("log: %zu bytes, %s\n", log.size(),
                    log.ptr() == start ? "grown in place" : "moved");
        log.flush();
        log.unmap(); // the checked unmap: an error would throw here, not pass unseen

        // Read it back whole: a span of the file's bytes, exactly its size.
        mmapc::map whole = mmapc::map::file_whole(MMAPC_PROT_READ, file);
        mmapc::bytes text = whole.bytes();
        std::size_t lines = 0;
        for (std::byte b : text)
            lines += b == std::byte{'\n'};
        std::printf("read back: %zu bytes, %zu records\n", text.size(), lines);
        status = lines == 3 ? 0 : 1;
    } catch (const mmapc::error &e) {
        std::fprintf(stderr, "%s (OS error %d)\n", e.what(), e.os_error());
        status = 1;
    }
    close_log(file);
    std::remove(path);
    return status;
}
