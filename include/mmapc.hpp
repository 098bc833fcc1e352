// SPDX-License-Identifier: MIT
/**
 * @file mmapc.hpp
 * @brief mmapc for C++: owners of the handles, byte spans, an error category.
 *
 * Header-only, C++17 and later, over the C API of mmapc.h (which it includes: every C call is
 * callable from C++ as it is). It adds no behaviour the C library does not have: each call
 * below is one call of the C function it names, inline, with nothing allocated beyond what the
 * C library allocates.
 *
 * Owners. mmapc::map, mmapc::shm, mmapc::ring, mmapc::proc and mmapc::areas own one handle
 * each (mmapc_map, mmapc_shm, mmapc_ring, mmapc_proc, mmapc_areas: every handle type of
 * mmapc.h). They are move-only; a moved-from owner is empty; the destructor releases the handle
 * (mmapc_unmap, mmapc_shm_close, mmapc_ring_free, mmapc_proc_close, mmapc_areas_close).
 * `get()` lends the handle to a C call, `release()` hands it out (the owner is then empty),
 * and the constructor from a raw handle adopts one.
 *
 * Two ways to fail, named so that one sees which is which:
 * - `name(...)` throws mmapc::error (a std::system_error whose code is in mmapc::category(),
 *   plus mmapc_last_os_error() of the failure) when the C call fails: `mmapc::map::anon(4096)`,
 *   `m.protect(MMAPC_PROT_READ)`. These exist only when exceptions are on (`__cpp_exceptions`).
 * - `try_name(...)` is noexcept and returns mmapc::result<T>: `mmapc::map::try_anon(4096)`,
 *   `m.try_protect(MMAPC_PROT_READ)`. mmapc::result<T> is std::expected<T, std::error_code>
 *   where the library has it (`__cpp_lib_expected`), otherwise a small class of this header
 *   with the same members: has_value(), operator bool, value(), error(), operator*, operator->.
 *   value() on an error throws (std::bad_expected_access<std::error_code>, or std::system_error
 *   for the class of this header) or, without exceptions, aborts, as std::expected does.
 * Calls that cannot fail in C (sizes, addresses, facts) return their value directly.
 *
 * Errors. mmapc::errc holds every MMAPC_E* code, generated from MMAPC_ERROR_LIST, with the C
 * names: `mmapc::errc::MMAPC_EINVAL_SIZE`. It converts to std::error_code in mmapc::category()
 * ("mmapc", messages of mmapc_strerror()), so `ec == mmapc::errc::MMAPC_ENOTFOUND` reads well.
 *
 * Bytes. mmapc::span<T> is std::span<T> under C++20 (`__cpp_lib_span`) and a small class of
 * this header otherwise (data, size, size_bytes, empty, begin, end, operator[], front, back,
 * first, last, subspan); mmapc::bytes is mmapc::span<std::byte>, mmapc::const_bytes its const
 * twin. map::bytes() and ring::bytes() cover the memory.
 *
 * Areas. mmapc::areas is an input range for range-for over mmapc_areas_next(); each element is
 * an mmapc::area (an mmapc_area with path_view() and kind_name() as std::string_view). The
 * range ends at the last area or at the first error, which areas::error() then tells (check it,
 * or call areas::check(), which throws it): an error never passes for the end.
 *
 * Wrapped: mappings (anon, file, whole file, growable, reserve, commit, protect, flush, lock,
 * advise, discard, decommit, residency, lock on fault, seal, resize, split, merge, guarded
 * read and write, dual mappings), shared memory objects and their views, rings, processes
 * (open, query, query with usage, read, write, totals, build ID, areas), area iteration with
 * usage, the one-shot query, page sizes and the version. Everything else (mmapc_flush_icache,
 * mmapc_copy_guarded, mmapc_guard_install, mmapc_elf_build_id, mmapc_build_id_hex,
 * mmapc_vm_flag_name, mmapc_page_sizes...) is called as in C, with `get()` for a handle.
 */
#ifndef MMAPC_HPP
#define MMAPC_HPP

#include "mmapc.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__has_include)
#if __has_include(<version>)
#include <version>
#endif
#endif

#if defined(__cpp_lib_span) && __cpp_lib_span >= 202002L
#include <span>
#define MMAPC_HPP_STD_SPAN 1
#endif
#if defined(__cpp_lib_expected) && __cpp_lib_expected >= 202202L
#include <expected>
#define MMAPC_HPP_STD_EXPECTED 1
#endif
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define MMAPC_HPP_EXCEPTIONS 1
#endif

namespace mmapc
{

// ---- errors ---------------------------------------------------------------------------------

/** Every code of MMAPC_ERROR_LIST, with its C name and value. */
enum class errc : int {
    MMAPC_OK = 0,
#define MMAPC__HPP_ERRC(name, value, message) MMAPC_##name = value,
    MMAPC_ERROR_LIST(MMAPC__HPP_ERRC)
#undef MMAPC__HPP_ERRC
};

namespace detail
{
class category_impl final : public std::error_category
{
  public:
    const char *name() const noexcept override { return "mmapc"; }
    std::string message(int code) const override { return mmapc_strerror(code); }
};
} // namespace detail

/** The category of mmapc's codes: name "mmapc", messages of mmapc_strerror(). */
inline const std::error_category &category() noexcept
{
    static const detail::category_impl instance;
    return instance;
}

inline std::error_code make_error_code(errc code) noexcept
{
    return std::error_code(static_cast<int>(code), category());
}

#ifdef MMAPC_HPP_EXCEPTIONS
/** What the throwing calls throw: the code in mmapc::category(), the raw OS error beside it. */
class error : public std::system_error
{
  public:
    /** @p code a negative MMAPC_E* code; @p what the C call that failed. Takes
     *  mmapc_last_os_error() now, so construct it right after the failed call. */
    error(int code, const char *what)
        : std::system_error(code, category(), what), os_error_(mmapc_last_os_error())
    {
    }
    /** errno or GetLastError() of the failure (mmapc_last_os_error()), 0 when not an OS one. */
    int os_error() const noexcept { return os_error_; }

  private:
    int os_error_;
};
#endif

// ---- result ---------------------------------------------------------------------------------

#ifdef MMAPC_HPP_STD_EXPECTED
template <class T> using result = std::expected<T, std::error_code>;
#else
namespace detail
{
struct error_tag {
};
} // namespace detail

/** The value of a try_ call, or its error: std::expected<T, std::error_code> in short. */
template <class T> class [[nodiscard]] result
{
  public:
    result(T value) noexcept(std::is_nothrow_move_constructible_v<T>) : value_(std::move(value)) {}
    result(detail::error_tag, std::error_code error) noexcept : error_(error) {}

    bool has_value() const noexcept { return !error_; }
    explicit operator bool() const noexcept { return has_value(); }
    std::error_code error() const noexcept { return error_; }
    T &operator*() &noexcept { return value_; }
    const T &operator*() const &noexcept { return value_; }
    T &&operator*() &&noexcept { return std::move(value_); }
    T *operator->() noexcept { return &value_; }
    const T *operator->() const noexcept { return &value_; }
    T &value() &
    {
        throw_if_error();
        return value_;
    }
    const T &value() const &
    {
        throw_if_error();
        return value_;
    }
    T &&value() &&
    {
        throw_if_error();
        return std::move(value_);
    }
    template <class U> T value_or(U &&other) const &
    {
        return has_value() ? value_ : static_cast<T>(std::forward<U>(other));
    }

  private:
    void throw_if_error() const
    {
        if (error_) {
#ifdef MMAPC_HPP_EXCEPTIONS
            throw std::system_error(error_);
#else
            std::abort();
#endif
        }
    }
    T value_{};
    std::error_code error_{};
};

/** result<void>: an error or nothing. */
template <> class [[nodiscard]] result<void>
{
  public:
    result() noexcept = default;
    result(detail::error_tag, std::error_code error) noexcept : error_(error) {}

    bool has_value() const noexcept { return !error_; }
    explicit operator bool() const noexcept { return has_value(); }
    std::error_code error() const noexcept { return error_; }
    void operator*() const noexcept {}
    void value() const
    {
        if (error_) {
#ifdef MMAPC_HPP_EXCEPTIONS
            throw std::system_error(error_);
#else
            std::abort();
#endif
        }
    }

  private:
    std::error_code error_{};
};
#endif

namespace detail
{
/** The result of a failed C call (@p code negative). */
template <class T> inline result<T> fail(int code) noexcept
{
#ifdef MMAPC_HPP_STD_EXPECTED
    return std::unexpected(std::error_code(code, category()));
#else
    return result<T>(error_tag{}, std::error_code(code, category()));
#endif
}

/** The result of a C call that returns only a code. */
inline result<void> status(int code) noexcept
{
    if (code < 0)
        return fail<void>(code);
    return {};
}

/** The result of a C call whose value went to @p value. */
template <class T> inline result<T> value_or_fail(int code, T &&value) noexcept
{
    if (code < 0)
        return fail<T>(code);
    return result<T>(std::move(value));
}

#ifdef MMAPC_HPP_EXCEPTIONS
inline void check(int code, const char *what)
{
    if (code < 0)
        throw error(code, what);
}

/** The value of @p r, or mmapc::error for what @p what names. */
template <class T> inline T unwrap(result<T> &&r, const char *what)
{
    if (!r)
        throw error(r.error().value(), what);
    return std::move(*r);
}

inline void unwrap(result<void> &&r, const char *what)
{
    if (!r)
        throw error(r.error().value(), what);
}
#endif

/** An Owner of the handle that `call(&handle, args...)` (a C call with its out-pointer first)
 *  makes, or its error. */
template <class Owner, class F, class... A>
inline result<Owner> create(F &&call, const A &...args) noexcept
{
    typename Owner::handle_type *h = nullptr;
    int rc = call(&h, args...);
    return value_or_fail(rc, Owner(h));
}

/** Owns one handle of type H, released with Free. */
template <class H, void (*Free)(H *)> class owner
{
  public:
    using handle_type = H;
    owner() noexcept = default;
    /** Adopts @p handle: it is released with the owner. */
    explicit owner(H *handle) noexcept : h_(handle) {}
    owner(owner &&other) noexcept : h_(other.release()) {}
    owner &operator=(owner &&other) noexcept
    {
        reset(other.release());
        return *this;
    }
    owner(const owner &) = delete;
    owner &operator=(const owner &) = delete;
    ~owner() { Free(h_); }

    /** The handle, still owned here: for C calls. */
    H *get() const noexcept { return h_; }
    /** The handle, no longer owned here: the caller releases it. */
    [[nodiscard]] H *release() noexcept { return std::exchange(h_, nullptr); }
    /** Releases the handle held (if any) and adopts @p handle. */
    void reset(H *handle = nullptr) noexcept { Free(std::exchange(h_, handle)); }
    explicit operator bool() const noexcept { return h_ != nullptr; }

  private:
    H *h_ = nullptr;
};
} // namespace detail

// ---- spans ----------------------------------------------------------------------------------

#ifdef MMAPC_HPP_STD_SPAN
template <class T> using span = std::span<T>;
inline constexpr std::size_t dynamic_extent = std::dynamic_extent;
#else
inline constexpr std::size_t dynamic_extent = static_cast<std::size_t>(-1);

/** A view of @p size() objects from data(): what std::span<T> is, for C++17. */
template <class T> class span
{
  public:
    using element_type = T;
    using value_type = std::remove_cv_t<T>;
    using size_type = std::size_t;
    using pointer = T *;
    using reference = T &;
    using iterator = T *;

    constexpr span() noexcept = default;
    constexpr span(T *data, std::size_t size) noexcept : data_(data), size_(size) {}
    template <std::size_t N> constexpr span(T (&array)[N]) noexcept : data_(array), size_(N) {}
    /** span<T> to span<const T>. */
    template <class U, class = std::enable_if_t<std::is_convertible_v<U (*)[], T (*)[]>>>
    constexpr span(const span<U> &other) noexcept : data_(other.data()), size_(other.size())
    {
    }

    constexpr T *data() const noexcept { return data_; }
    constexpr std::size_t size() const noexcept { return size_; }
    constexpr std::size_t size_bytes() const noexcept { return size_ * sizeof(T); }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    constexpr T *begin() const noexcept { return data_; }
    constexpr T *end() const noexcept { return data_ + size_; }
    constexpr T &operator[](std::size_t i) const noexcept { return data_[i]; }
    constexpr T &front() const noexcept { return data_[0]; }
    constexpr T &back() const noexcept { return data_[size_ - 1]; }
    constexpr span first(std::size_t count) const noexcept { return span(data_, count); }
    constexpr span last(std::size_t count) const noexcept
    {
        return span(data_ + (size_ - count), count);
    }
    /** @p count objects from @p offset; dynamic_extent: to the end. */
    constexpr span subspan(std::size_t offset, std::size_t count = dynamic_extent) const noexcept
    {
        return span(data_ + offset, count == dynamic_extent ? size_ - offset : count);
    }

  private:
    T *data_ = nullptr;
    std::size_t size_ = 0;
};
#endif

using bytes = span<std::byte>;
using const_bytes = span<const std::byte>;

// ---- plain types ----------------------------------------------------------------------------

using options = mmapc_options;
using shm_options = mmapc_shm_options;
using prot = mmapc_prot;
using advice = mmapc_advice;
using discard_mode = mmapc_discard_mode;
using area_usage = mmapc_area_usage;
using build_id = mmapc_build_id;
using file_handle = mmapc_file;

/** An mmapc_area with its strings as std::string_view. */
struct area : mmapc_area {
    area() noexcept : mmapc_area() {}
    area(const mmapc_area &a) noexcept : mmapc_area(a) {}
    /** The path as stored (maybe truncated: path_len tells the full length); "" for none. */
    std::string_view path_view() const noexcept
    {
        return path ? std::string_view(path) : std::string_view();
    }
    /** mmapc_area_kind_name() of the kind: "file", "heap", "anon_named"... */
    std::string_view kind_name() const noexcept { return mmapc_area_kind_name(kind); }
};

/** An area and its memory use (proc::query_usage()). */
struct area_with_usage {
    mmapc::area area;
    area_usage usage{};
};

/** Options passed by reference or pointer: `{}` or nothing for the defaults (NULL in C),
 *  `mmapc::options{...}` or `&o` for others. */
template <class O> class options_ref
{
  public:
    options_ref() noexcept = default;
    options_ref(std::nullptr_t) noexcept {}
    options_ref(const O &o) noexcept : p_(&o) {}
    options_ref(const O *o) noexcept : p_(o) {}
    const O *get() const noexcept { return p_; }

  private:
    const O *p_ = nullptr;
};

/** The run-time version of the library (mmapc_version()). */
inline std::string_view version() noexcept
{
    return mmapc_version();
}
/** mmapc_page_size(). */
inline std::size_t page_size() noexcept
{
    return mmapc_page_size();
}
/** mmapc_allocation_granularity(). */
inline std::size_t allocation_granularity() noexcept
{
    return mmapc_allocation_granularity();
}
/** mmapc_default_huge_page_size(). */
inline std::size_t default_huge_page_size() noexcept
{
    return mmapc_default_huge_page_size();
}

// ---- mappings -------------------------------------------------------------------------------

struct dual;

/** Owns an mmapc_map: a mapping, a reservation, or a view of a shared memory object. */
class map : public detail::owner<mmapc_map, mmapc_unmap>
{
  public:
    using owner::owner;

    /** mmapc_map_anon(). */
    [[nodiscard]] static result<map> try_anon(std::size_t size, prot p = MMAPC_PROT_RW,
                                              options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_map_anon, size, p, o.get());
    }
    /** mmapc_map_file(). */
    [[nodiscard]] static result<map> try_file(std::size_t size, prot p, file_handle file,
                                              std::uint64_t offset = 0,
                                              options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_map_file, size, p, file, offset, o.get());
    }
    /** mmapc_map_file_whole(). */
    [[nodiscard]] static result<map> try_file_whole(prot p, file_handle file,
                                                    std::uint64_t offset = 0,
                                                    options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_map_file_whole, p, file, offset, o.get());
    }
    /** mmapc_map_file_growable(). */
    [[nodiscard]] static result<map> try_file_growable(std::size_t size, std::size_t capacity,
                                                       prot p, file_handle file,
                                                       std::uint64_t offset = 0,
                                                       options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_map_file_growable, size, capacity, p, file, offset,
                                   o.get());
    }
    /** mmapc_map_anon_growable(). */
    [[nodiscard]] static result<map> try_anon_growable(std::size_t size, std::size_t capacity,
                                                       prot p = MMAPC_PROT_RW,
                                                       options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_map_anon_growable, size, capacity, p, o.get());
    }
    /** mmapc_reserve_anon(). */
    [[nodiscard]] static result<map> try_reserve_anon(std::size_t size, prot p = MMAPC_PROT_RW,
                                                      options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_reserve_anon, size, p, o.get());
    }
    /** mmapc_reserve_file(). */
    [[nodiscard]] static result<map> try_reserve_file(std::size_t size, prot p, file_handle file,
                                                      std::uint64_t offset = 0,
                                                      options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_reserve_file, size, p, file, offset, o.get());
    }
    /** mmapc_map_dual(): a writable and an executable view of one object. */
    [[nodiscard]] static result<mmapc::dual> try_dual(std::size_t size) noexcept;

    void *ptr() const noexcept { return mmapc_ptr(get()); }
    std::size_t size() const noexcept { return mmapc_size(get()); }
    std::uintptr_t start() const noexcept { return mmapc_start(get()); }
    std::uintptr_t end() const noexcept { return mmapc_end(get()); }
    /** The mapping's bytes: [ptr(), ptr() + size()). */
    mmapc::bytes bytes() const noexcept
    {
        return mmapc::bytes(static_cast<std::byte *>(ptr()), size());
    }
    prot protection() const noexcept { return mmapc_protection(get()); }
    unsigned flags() const noexcept { return mmapc_flags(get()); }
    bool is_reserved() const noexcept { return mmapc_is_reserved(get()) != 0; }
    bool is_file() const noexcept { return mmapc_is_file(get()) != 0; }
    bool is_sealed() const noexcept { return mmapc_is_sealed(get()) != 0; }
    std::size_t page_size() const noexcept { return mmapc_map_page_size(get()); }
    std::uint64_t file_offset() const noexcept { return mmapc_file_offset(get()); }
    std::size_t capacity() const noexcept { return mmapc_capacity(get()); }

    /** mmapc_unmap_checked(): on success the owner is empty; on failure it still owns it. */
    [[nodiscard]] result<void> try_unmap() noexcept
    {
        int rc = mmapc_unmap_checked(get());
        if (rc == 0)
            (void)release();
        return detail::status(rc);
    }
    [[nodiscard]] result<void> try_commit() noexcept { return detail::status(mmapc_commit(get())); }
    [[nodiscard]] result<void> try_protect(prot p) noexcept
    {
        return detail::status(mmapc_protect(get(), p));
    }
    [[nodiscard]] result<void> try_protect_no_flush(prot p) noexcept
    {
        return detail::status(mmapc_protect_no_flush(get(), p));
    }
    /** mmapc_flush() of [start, end) (offsets from ptr()); all of it by default. */
    [[nodiscard]] result<void> try_flush(std::size_t from = 0,
                                         std::size_t to = dynamic_extent) noexcept
    {
        return detail::status(mmapc_flush(get(), from, to == dynamic_extent ? size() : to));
    }
    [[nodiscard]] result<void> try_flush_async(std::size_t from = 0,
                                               std::size_t to = dynamic_extent) noexcept
    {
        return detail::status(mmapc_flush_async(get(), from, to == dynamic_extent ? size() : to));
    }
    [[nodiscard]] result<void> try_lock() noexcept { return detail::status(mmapc_lock(get())); }
    [[nodiscard]] result<void> try_unlock() noexcept { return detail::status(mmapc_unlock(get())); }
    [[nodiscard]] result<void> try_lock_on_fault() noexcept
    {
        return detail::status(mmapc_lock_on_fault(get()));
    }
    [[nodiscard]] result<void> try_seal() noexcept { return detail::status(mmapc_seal(get())); }
    [[nodiscard]] result<void> try_decommit() noexcept
    {
        return detail::status(mmapc_decommit(get()));
    }
    [[nodiscard]] result<void> try_advise(std::size_t offset, std::size_t len, advice a) noexcept
    {
        return detail::status(mmapc_advise(get(), offset, len, a));
    }
    [[nodiscard]] result<void> try_discard(std::size_t offset, std::size_t len,
                                           discard_mode mode = MMAPC_DISCARD_ZERO) noexcept
    {
        return detail::status(mmapc_discard(get(), offset, len, mode));
    }
    /** mmapc_residency(): the count of resident pages; @p pages as in C (may be NULL). */
    [[nodiscard]] result<std::size_t> try_residency(std::size_t offset, std::size_t len,
                                                    unsigned char *pages = nullptr) const noexcept
    {
        std::size_t count = 0;
        int rc = mmapc_residency(get(), offset, len, &count, pages);
        return detail::value_or_fail(rc, std::move(count));
    }
    [[nodiscard]] result<void> try_resize(std::size_t new_size, unsigned flags = 0) noexcept
    {
        return detail::status(mmapc_resize(get(), new_size, flags));
    }
    /** mmapc_split_off(): this keeps [0, at), the result owns [at, size()). */
    [[nodiscard]] result<map> try_split_off(std::size_t at) noexcept
    {
        return detail::create<map>(
            [&](mmapc_map **back) { return mmapc_split_off(get(), at, back); });
    }
    /** mmapc_split_to(): this keeps [at, size()), the result owns [0, at). */
    [[nodiscard]] result<map> try_split_to(std::size_t at) noexcept
    {
        return detail::create<map>(
            [&](mmapc_map **front) { return mmapc_split_to(get(), at, front); });
    }
    /** mmapc_merge(): on success @p other is consumed (empty); on failure both are as they were. */
    [[nodiscard]] result<void> try_merge(map &other) noexcept
    {
        int rc = mmapc_merge(get(), other.get());
        if (rc == 0)
            (void)other.release();
        return detail::status(rc);
    }
    /** mmapc_read(): @p dst.size() bytes from @p offset, guarded; `*done` as in C. */
    [[nodiscard]] result<void> try_read(std::size_t offset, mmapc::bytes dst,
                                        std::size_t *done = nullptr) const noexcept
    {
        return detail::status(mmapc_read(get(), offset, dst.data(), dst.size(), done));
    }
    /** mmapc_write(): @p src to @p offset, guarded; `*done` as in C. */
    [[nodiscard]] result<void> try_write(std::size_t offset, const_bytes src,
                                         std::size_t *done = nullptr) noexcept
    {
        return detail::status(mmapc_write(get(), offset, src.data(), src.size(), done));
    }

#ifdef MMAPC_HPP_EXCEPTIONS
    static map anon(std::size_t size, prot p = MMAPC_PROT_RW, options_ref<options> o = {})
    {
        return detail::unwrap(try_anon(size, p, o), "mmapc_map_anon");
    }
    static map file(std::size_t size, prot p, file_handle file, std::uint64_t offset = 0,
                    options_ref<options> o = {})
    {
        return detail::unwrap(try_file(size, p, file, offset, o), "mmapc_map_file");
    }
    static map file_whole(prot p, file_handle file, std::uint64_t offset = 0,
                          options_ref<options> o = {})
    {
        return detail::unwrap(try_file_whole(p, file, offset, o), "mmapc_map_file_whole");
    }
    static map file_growable(std::size_t size, std::size_t capacity, prot p, file_handle file,
                             std::uint64_t offset = 0, options_ref<options> o = {})
    {
        return detail::unwrap(try_file_growable(size, capacity, p, file, offset, o),
                              "mmapc_map_file_growable");
    }
    static map anon_growable(std::size_t size, std::size_t capacity, prot p = MMAPC_PROT_RW,
                             options_ref<options> o = {})
    {
        return detail::unwrap(try_anon_growable(size, capacity, p, o), "mmapc_map_anon_growable");
    }
    static map reserve_anon(std::size_t size, prot p = MMAPC_PROT_RW, options_ref<options> o = {})
    {
        return detail::unwrap(try_reserve_anon(size, p, o), "mmapc_reserve_anon");
    }
    static map reserve_file(std::size_t size, prot p, file_handle file, std::uint64_t offset = 0,
                            options_ref<options> o = {})
    {
        return detail::unwrap(try_reserve_file(size, p, file, offset, o), "mmapc_reserve_file");
    }
    static mmapc::dual dual(std::size_t size);

    void unmap()
    {
        detail::unwrap(try_unmap(), "mmapc_unmap_checked");
    }
    void commit()
    {
        detail::check(mmapc_commit(get()), "mmapc_commit");
    }
    void protect(prot p)
    {
        detail::check(mmapc_protect(get(), p), "mmapc_protect");
    }
    void protect_no_flush(prot p)
    {
        detail::check(mmapc_protect_no_flush(get(), p), "mmapc_protect_no_flush");
    }
    void flush(std::size_t from = 0, std::size_t to = dynamic_extent)
    {
        detail::unwrap(try_flush(from, to), "mmapc_flush");
    }
    void flush_async(std::size_t from = 0, std::size_t to = dynamic_extent)
    {
        detail::unwrap(try_flush_async(from, to), "mmapc_flush_async");
    }
    void lock()
    {
        detail::check(mmapc_lock(get()), "mmapc_lock");
    }
    void unlock()
    {
        detail::check(mmapc_unlock(get()), "mmapc_unlock");
    }
    void lock_on_fault()
    {
        detail::check(mmapc_lock_on_fault(get()), "mmapc_lock_on_fault");
    }
    void seal()
    {
        detail::check(mmapc_seal(get()), "mmapc_seal");
    }
    void decommit()
    {
        detail::check(mmapc_decommit(get()), "mmapc_decommit");
    }
    void advise(std::size_t offset, std::size_t len, advice a)
    {
        detail::check(mmapc_advise(get(), offset, len, a), "mmapc_advise");
    }
    void discard(std::size_t offset, std::size_t len, discard_mode mode = MMAPC_DISCARD_ZERO)
    {
        detail::check(mmapc_discard(get(), offset, len, mode), "mmapc_discard");
    }
    std::size_t residency(std::size_t offset, std::size_t len, unsigned char *pages = nullptr) const
    {
        return detail::unwrap(try_residency(offset, len, pages), "mmapc_residency");
    }
    void resize(std::size_t new_size, unsigned flags = 0)
    {
        detail::check(mmapc_resize(get(), new_size, flags), "mmapc_resize");
    }
    map split_off(std::size_t at)
    {
        return detail::unwrap(try_split_off(at), "mmapc_split_off");
    }
    map split_to(std::size_t at)
    {
        return detail::unwrap(try_split_to(at), "mmapc_split_to");
    }
    void merge(map &other)
    {
        detail::unwrap(try_merge(other), "mmapc_merge");
    }
    /** Throws mmapc::error on MMAPC_EIO too; `*done` then tells the bytes copied. */
    void read(std::size_t offset, mmapc::bytes dst, std::size_t *done = nullptr) const
    {
        detail::unwrap(try_read(offset, dst, done), "mmapc_read");
    }
    void write(std::size_t offset, const_bytes src, std::size_t *done = nullptr)
    {
        detail::unwrap(try_write(offset, src, done), "mmapc_write");
    }
#endif
};

/** The two views of mmapc_map_dual(): write code through rw, run it through rx. */
struct dual {
    map rw;
    map rx;
};

inline result<dual> map::try_dual(std::size_t size) noexcept
{
    mmapc_map *rw = nullptr, *rx = nullptr;
    int rc = mmapc_map_dual(&rw, &rx, size);
    return detail::value_or_fail(rc, mmapc::dual{map(rw), map(rx)});
}

#ifdef MMAPC_HPP_EXCEPTIONS
inline dual map::dual(std::size_t size)
{
    return detail::unwrap(try_dual(size), "mmapc_map_dual");
}
#endif

// ---- shared memory objects and rings --------------------------------------------------------

/** Owns an mmapc_ring: a ring buffer mapped twice, back to back. */
class ring : public detail::owner<mmapc_ring, mmapc_ring_free>
{
  public:
    using owner::owner;

    /** mmapc_ring_create(). */
    [[nodiscard]] static result<ring> try_create(std::size_t size) noexcept
    {
        return detail::create<ring>(mmapc_ring_create, size);
    }
    /** mmapc_ring_map() of @p shm, which need not outlive the ring. */
    [[nodiscard]] static result<ring> try_create(mmapc_shm *shm, std::uint64_t offset,
                                                 std::size_t size) noexcept
    {
        return detail::create<ring>(mmapc_ring_map, shm, offset, size);
    }
    void *ptr() const noexcept { return mmapc_ring_ptr(get()); }
    /** The size of one view. */
    std::size_t size() const noexcept { return mmapc_ring_size(get()); }
    /** Both views: 2 * size() bytes from ptr(). */
    mmapc::bytes bytes() const noexcept
    {
        return mmapc::bytes(static_cast<std::byte *>(ptr()), 2 * size());
    }

#ifdef MMAPC_HPP_EXCEPTIONS
    static ring create(std::size_t size)
    {
        return detail::unwrap(try_create(size), "mmapc_ring_create");
    }
    static ring create(mmapc_shm *shm, std::uint64_t offset, std::size_t size)
    {
        return detail::unwrap(try_create(shm, offset, size), "mmapc_ring_map");
    }
#endif
};

/** Owns an mmapc_shm: a shared memory object. Its views live on when it is closed. */
class shm : public detail::owner<mmapc_shm, mmapc_shm_close>
{
  public:
    using owner::owner;

    /** mmapc_shm_create(); @p name nullptr for an anonymous object. */
    [[nodiscard]] static result<shm> try_create(const char *name, std::uint64_t size,
                                                options_ref<shm_options> o = {}) noexcept
    {
        return detail::create<shm>(mmapc_shm_create, name, size, o.get());
    }
    /** mmapc_shm_open(). */
    [[nodiscard]] static result<shm> try_open(const char *name,
                                              options_ref<shm_options> o = {}) noexcept
    {
        return detail::create<shm>(mmapc_shm_open, name, o.get());
    }
    /** mmapc_shm_from_file(): @p file is duplicated, the caller keeps it. */
    [[nodiscard]] static result<shm> try_from_file(file_handle file,
                                                   options_ref<shm_options> o = {}) noexcept
    {
        return detail::create<shm>(mmapc_shm_from_file, file, o.get());
    }
    /** mmapc_shm_unlink(). */
    [[nodiscard]] static result<void> try_unlink(const char *name) noexcept
    {
        return detail::status(mmapc_shm_unlink(name));
    }

    /** mmapc_shm_file(): still owned by the object. */
    file_handle file() const noexcept { return mmapc_shm_file(get()); }
    [[nodiscard]] result<std::uint64_t> try_size() const noexcept
    {
        std::uint64_t size = 0;
        int rc = mmapc_shm_size(get(), &size);
        return detail::value_or_fail(rc, std::move(size));
    }
    [[nodiscard]] result<void> try_resize(std::uint64_t size) noexcept
    {
        return detail::status(mmapc_shm_resize(get(), size));
    }
    [[nodiscard]] result<void> try_set_inherit(bool inherit) noexcept
    {
        return detail::status(mmapc_shm_set_inherit(get(), inherit ? 1 : 0));
    }
    [[nodiscard]] result<void> try_seal(unsigned seals) noexcept
    {
        return detail::status(mmapc_shm_seal(get(), seals));
    }
    [[nodiscard]] result<unsigned> try_seals() const noexcept
    {
        unsigned seals = 0;
        int rc = mmapc_shm_seals(get(), &seals);
        return detail::value_or_fail(rc, std::move(seals));
    }
    /** mmapc_shm_map(): a view of @p size bytes from @p offset, always shared. */
    [[nodiscard]] result<map> try_view(std::uint64_t offset, std::size_t size,
                                       prot p = MMAPC_PROT_RW, options_ref<options> o = {}) noexcept
    {
        return detail::create<map>(mmapc_shm_map, get(), offset, size, p, o.get());
    }
    /** mmapc_ring_map() of this object. */
    [[nodiscard]] result<mmapc::ring> try_ring(std::uint64_t offset, std::size_t size) noexcept
    {
        return mmapc::ring::try_create(get(), offset, size);
    }

#ifdef MMAPC_HPP_EXCEPTIONS
    static shm create(const char *name, std::uint64_t size, options_ref<shm_options> o = {})
    {
        return detail::unwrap(try_create(name, size, o), "mmapc_shm_create");
    }
    static shm open(const char *name, options_ref<shm_options> o = {})
    {
        return detail::unwrap(try_open(name, o), "mmapc_shm_open");
    }
    static shm from_file(file_handle file, options_ref<shm_options> o = {})
    {
        return detail::unwrap(try_from_file(file, o), "mmapc_shm_from_file");
    }
    static void unlink(const char *name)
    {
        detail::check(mmapc_shm_unlink(name), "mmapc_shm_unlink");
    }
    std::uint64_t size() const
    {
        return detail::unwrap(try_size(), "mmapc_shm_size");
    }
    void resize(std::uint64_t size)
    {
        detail::check(mmapc_shm_resize(get(), size), "mmapc_shm_resize");
    }
    void set_inherit(bool inherit)
    {
        detail::check(mmapc_shm_set_inherit(get(), inherit ? 1 : 0), "mmapc_shm_set_inherit");
    }
    void seal(unsigned seals)
    {
        detail::check(mmapc_shm_seal(get(), seals), "mmapc_shm_seal");
    }
    unsigned seals() const
    {
        return detail::unwrap(try_seals(), "mmapc_shm_seals");
    }
    map view(std::uint64_t offset, std::size_t size, prot p = MMAPC_PROT_RW,
             options_ref<options> o = {})
    {
        return detail::unwrap(try_view(offset, size, p, o), "mmapc_shm_map");
    }
    mmapc::ring ring(std::uint64_t offset, std::size_t size)
    {
        return detail::unwrap(try_ring(offset, size), "mmapc_ring_map");
    }
#endif
};

// ---- memory areas ---------------------------------------------------------------------------

/** Owns an mmapc_areas: an iteration over memory areas, and an input range over it. */
class areas : public detail::owner<mmapc_areas, mmapc_areas_close>
{
  public:
    using owner::owner;
    areas() noexcept = default;
    areas(areas &&other) noexcept
        : owner(std::move(other)), current_(other.current_), error_(other.error_)
    {
    }
    areas &operator=(areas &&other) noexcept
    {
        owner::operator=(std::move(other));
        current_ = other.current_;
        error_ = other.error_;
        return *this;
    }

    /** mmapc_areas_open(): every area of @p pid. */
    [[nodiscard]] static result<areas> try_open(int pid = MMAPC_SELF) noexcept
    {
        return detail::create<areas>(mmapc_areas_open, pid);
    }
    /** mmapc_areas_open_range(): the areas of @p pid that intersect [start, end). */
    [[nodiscard]] static result<areas> try_open_range(int pid, std::uint64_t start,
                                                      std::uint64_t end) noexcept
    {
        return detail::create<areas>(mmapc_areas_open_range, pid, start, end);
    }
    /** mmapc_areas_open_usage(): every area of @p pid, with usage(). */
    [[nodiscard]] static result<areas> try_open_usage(int pid = MMAPC_SELF) noexcept
    {
        return detail::create<areas>(mmapc_areas_open_usage, pid);
    }

    /** mmapc_areas_next(): true and the area in current(), false at the end. */
    [[nodiscard]] result<bool> try_next() noexcept
    {
        mmapc_area a;
        int rc = mmapc_areas_next(get(), &a);
        if (rc > 0)
            current_ = a;
        return detail::value_or_fail(rc, rc > 0);
    }
    /** The area the last next() gave; its strings live until the next call. */
    const area &current() const noexcept { return current_; }
    /** mmapc_areas_usage() of current(). */
    [[nodiscard]] result<area_usage> try_usage() const noexcept
    {
        area_usage u{};
        int rc = mmapc_areas_usage(get(), &u);
        return detail::value_or_fail(rc, std::move(u));
    }
    /** The error that ended the range, if one did. */
    std::error_code error() const noexcept { return error_; }

    /** Input iterator: each step is one mmapc_areas_next(). */
    class iterator
    {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = area;
        using difference_type = std::ptrdiff_t;
        using pointer = const area *;
        using reference = const area &;

        iterator() noexcept = default;
        explicit iterator(areas *owner) noexcept : it_(owner) { step(); }
        reference operator*() const noexcept { return it_->current_; }
        pointer operator->() const noexcept { return &it_->current_; }
        iterator &operator++() noexcept
        {
            step();
            return *this;
        }
        void operator++(int) noexcept { step(); }
        friend bool operator==(const iterator &a, const iterator &b) noexcept
        {
            return a.it_ == b.it_;
        }
        friend bool operator!=(const iterator &a, const iterator &b) noexcept
        {
            return a.it_ != b.it_;
        }

      private:
        void step() noexcept
        {
            mmapc_area a;
            int rc = mmapc_areas_next(it_->get(), &a);
            if (rc > 0) {
                it_->current_ = a;
                return;
            }
            if (rc < 0)
                it_->error_ = std::error_code(rc, category());
            it_ = nullptr;
        }
        areas *it_ = nullptr;
    };

    /** Starts the range: the first mmapc_areas_next(). An iteration is walked once. */
    iterator begin() noexcept { return iterator(this); }
    iterator end() noexcept { return iterator(); }

#ifdef MMAPC_HPP_EXCEPTIONS
    static areas open(int pid = MMAPC_SELF)
    {
        return detail::unwrap(try_open(pid), "mmapc_areas_open");
    }
    static areas open_range(int pid, std::uint64_t start, std::uint64_t end)
    {
        return detail::unwrap(try_open_range(pid, start, end), "mmapc_areas_open_range");
    }
    static areas open_usage(int pid = MMAPC_SELF)
    {
        return detail::unwrap(try_open_usage(pid), "mmapc_areas_open_usage");
    }
    bool next()
    {
        return detail::unwrap(try_next(), "mmapc_areas_next");
    }
    area_usage usage() const
    {
        return detail::unwrap(try_usage(), "mmapc_areas_usage");
    }
    /** Throws the error that ended the range, if one did. */
    void check() const
    {
        if (error_)
            throw mmapc::error(error_.value(), "mmapc_areas_next");
    }
#endif

  private:
    area current_;
    std::error_code error_;
};

/** Owns an mmapc_proc: a process opened for queries, iteration, reads and writes. */
class proc : public detail::owner<mmapc_proc, mmapc_proc_close>
{
  public:
    using owner::owner;

    /** mmapc_proc_open(). */
    [[nodiscard]] static result<proc> try_open(int pid = MMAPC_SELF, unsigned flags = 0) noexcept
    {
        return detail::create<proc>(mmapc_proc_open, pid, flags);
    }
    /** mmapc_proc_direct(). */
    bool direct() const noexcept { return mmapc_proc_direct(get()) != 0; }
    /** mmapc_proc_query(): the path goes into @p path_buf (none with nullptr). */
    [[nodiscard]] result<area> try_query(std::uint64_t addr, char *path_buf = nullptr,
                                         std::size_t path_size = 0) const noexcept
    {
        area a;
        int rc = mmapc_proc_query(get(), addr, &a, path_buf, path_size);
        return detail::value_or_fail(rc, std::move(a));
    }
    /** mmapc_proc_query_usage(). */
    [[nodiscard]] result<area_with_usage> try_query_usage(std::uint64_t addr,
                                                          char *path_buf = nullptr,
                                                          std::size_t path_size = 0) const noexcept
    {
        area_with_usage r;
        int rc = mmapc_proc_query_usage(get(), addr, &r.area, path_buf, path_size, &r.usage);
        return detail::value_or_fail(rc, std::move(r));
    }
    /** mmapc_proc_usage_totals(). */
    [[nodiscard]] result<area_usage> try_usage_totals() const noexcept
    {
        area_usage u{};
        int rc = mmapc_proc_usage_totals(get(), &u);
        return detail::value_or_fail(rc, std::move(u));
    }
    /** mmapc_proc_build_id(). */
    [[nodiscard]] result<build_id> try_build_id(std::uint64_t addr) const noexcept
    {
        build_id id{};
        int rc = mmapc_proc_build_id(get(), addr, &id);
        return detail::value_or_fail(rc, std::move(id));
    }
    /** mmapc_proc_read(): the count of bytes read (fewer than @p dst.size() at a hole). */
    [[nodiscard]] result<std::size_t> try_read(std::uint64_t addr, mmapc::bytes dst) const noexcept
    {
        std::size_t done = 0;
        int rc = mmapc_proc_read(get(), addr, dst.data(), dst.size(), &done);
        return detail::value_or_fail(rc, std::move(done));
    }
    /** mmapc_proc_write(): the count of bytes written. */
    [[nodiscard]] result<std::size_t> try_write(std::uint64_t addr, const_bytes src) noexcept
    {
        std::size_t done = 0;
        int rc = mmapc_proc_write(get(), addr, src.data(), src.size(), &done);
        return detail::value_or_fail(rc, std::move(done));
    }
    /** mmapc_proc_areas(): the areas that intersect [start, end); this must outlive them. */
    [[nodiscard]] result<mmapc::areas> try_areas(std::uint64_t start = 0,
                                                 std::uint64_t end = UINT64_MAX) const noexcept
    {
        return detail::create<mmapc::areas>(mmapc_proc_areas, get(), start, end);
    }
    /** mmapc_proc_areas_usage(): as try_areas(), with usage. */
    [[nodiscard]] result<mmapc::areas>
    try_areas_usage(std::uint64_t start = 0, std::uint64_t end = UINT64_MAX) const noexcept
    {
        return detail::create<mmapc::areas>(mmapc_proc_areas_usage, get(), start, end);
    }

#ifdef MMAPC_HPP_EXCEPTIONS
    static proc open(int pid = MMAPC_SELF, unsigned flags = 0)
    {
        return detail::unwrap(try_open(pid, flags), "mmapc_proc_open");
    }
    area query(std::uint64_t addr, char *path_buf = nullptr, std::size_t path_size = 0) const
    {
        return detail::unwrap(try_query(addr, path_buf, path_size), "mmapc_proc_query");
    }
    area_with_usage query_usage(std::uint64_t addr, char *path_buf = nullptr,
                                std::size_t path_size = 0) const
    {
        return detail::unwrap(try_query_usage(addr, path_buf, path_size), "mmapc_proc_query_usage");
    }
    area_usage usage_totals() const
    {
        return detail::unwrap(try_usage_totals(), "mmapc_proc_usage_totals");
    }
    build_id build_id_at(std::uint64_t addr) const
    {
        return detail::unwrap(try_build_id(addr), "mmapc_proc_build_id");
    }
    std::size_t read(std::uint64_t addr, mmapc::bytes dst) const
    {
        return detail::unwrap(try_read(addr, dst), "mmapc_proc_read");
    }
    std::size_t write(std::uint64_t addr, const_bytes src)
    {
        return detail::unwrap(try_write(addr, src), "mmapc_proc_write");
    }
    mmapc::areas areas(std::uint64_t start = 0, std::uint64_t end = UINT64_MAX) const
    {
        return detail::unwrap(try_areas(start, end), "mmapc_proc_areas");
    }
    mmapc::areas areas_usage(std::uint64_t start = 0, std::uint64_t end = UINT64_MAX) const
    {
        return detail::unwrap(try_areas_usage(start, end), "mmapc_proc_areas_usage");
    }
#endif
};

/** mmapc_area_query(): the area holding @p addr in @p pid, with one open and close. */
[[nodiscard]] inline result<area> try_area_query(int pid, std::uint64_t addr,
                                                 char *path_buf = nullptr,
                                                 std::size_t path_size = 0) noexcept
{
    area a;
    int rc = mmapc_area_query(pid, addr, &a, path_buf, path_size);
    return detail::value_or_fail(rc, std::move(a));
}

#ifdef MMAPC_HPP_EXCEPTIONS
inline area area_query(int pid, std::uint64_t addr, char *path_buf = nullptr,
                       std::size_t path_size = 0)
{
    return detail::unwrap(try_area_query(pid, addr, path_buf, path_size), "mmapc_area_query");
}
#endif

} // namespace mmapc

namespace std
{
template <> struct is_error_code_enum<mmapc::errc> : true_type {
};
} // namespace std

#endif /* MMAPC_HPP */
