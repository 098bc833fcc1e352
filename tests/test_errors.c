// SPDX-License-Identifier: MIT
/* The error model: every code has a distinct name and message, unknown codes are named as such,
 * and the raw OS error is kept per thread. */
#include "check.h"

#include <pthread.h>

static const int codes[] = {
#define CODE(name, value, message) MMAPC_##name,
    MMAPC_ERROR_LIST(CODE)
#undef CODE
};

static void test_names_and_messages(void)
{
    size_t n = sizeof codes / sizeof codes[0];
    CHECK(n >= 20);
    for (size_t i = 0; i < n; i++) {
        CHECK(codes[i] < 0);
        const char *name = mmapc_err_name(codes[i]);
        const char *msg = mmapc_strerror(codes[i]);
        CHECK(strncmp(name, "MMAPC_E", 7) == 0);
        CHECK(strcmp(msg, "unknown error") != 0 && strlen(msg) > 8);
        for (size_t j = 0; j < i; j++) {
            CHECK(codes[i] != codes[j]);
            CHECK(strcmp(name, mmapc_err_name(codes[j])) != 0);
            CHECK(strcmp(msg, mmapc_strerror(codes[j])) != 0);
        }
    }
    CHECK(strcmp(mmapc_err_name(MMAPC_EINVAL_SIZE), "MMAPC_EINVAL_SIZE") == 0);
    CHECK(strcmp(mmapc_err_name(0), "MMAPC_OK") == 0);
    CHECK(strcmp(mmapc_strerror(0), "success") == 0);
    CHECK(strcmp(mmapc_strerror(-12345), "unknown error") == 0);
    CHECK(strcmp(mmapc_err_name(1), "MMAPC_EUNKNOWN") == 0);
    /* the values are part of the ABI */
    CHECK(MMAPC_EINVAL_SIZE == -1 && MMAPC_ENOMEM == -20 && MMAPC_EOS == -30);
}

static void test_version(void)
{
    CHECK(strcmp(mmapc_version(), MMAPC_VERSION_STRING) == 0);
    CHECK(MMAPC_VERSION ==
          MMAPC_VERSION_MAJOR * 10000 + MMAPC_VERSION_MINOR * 100 + MMAPC_VERSION_PATCH);
}

/* A failing OS call in one thread does not show in another. */
static void *other_thread(void *arg)
{
    (void)arg;
    mmapc_map *m = NULL;
    /* a library-level error clears this thread's raw error */
    int rc = mmapc_map_anon(&m, 0, MMAPC_PROT_RW, NULL);
    return (void *)(intptr_t)(rc == MMAPC_EINVAL_SIZE && mmapc_last_os_error() == 0);
}

static void test_per_thread_os_error(void)
{
    mmapc_map *m = NULL;
    /* more address space than exists: an OS failure with a raw errno */
    int rc = mmapc_map_anon(&m, SIZE_MAX - 2 * mmapc_page_size(), MMAPC_PROT_RW, NULL);
    CHECK(rc == MMAPC_ENOMEM || rc == MMAPC_EOS); /* EOS: valgrind's mmap says EINVAL */
    int raw = mmapc_last_os_error();
    CHECK(raw != 0);
    pthread_t t;
    void *ok = NULL;
    REQUIRE(pthread_create(&t, NULL, other_thread, NULL) == 0);
    REQUIRE(pthread_join(t, &ok) == 0);
    CHECK(ok == (void *)1);
    CHECK(mmapc_last_os_error() == raw);
}

int main(void)
{
    test_names_and_messages();
    test_version();
    test_per_thread_os_error();
    return check_done();
}
