// SPDX-License-Identifier: MIT
/* mmapc page-sizes and mmapc info: what this system offers for memory mappings. */
#include "tool.h"

#include <string.h>

#ifdef __linux__
#include <sys/utsname.h>
#endif

/* One "key: value" line of `mmapc info`, every value in the same column. */
static void key_value(const char *key, const char *value)
{
    enum { KEY_WIDTH = sizeof "allocation granularity:" }; /* the longest key, and a space */
    size_t len = strlen(key) + 1;
    printf("%s:%*s%s\n", key, len < KEY_WIDTH ? (int)(KEY_WIDTH - len) : 1, "", value);
}

static void human(size_t bytes, char *out, size_t size)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) {
        bytes /= 1024;
        u++;
    }
    snprintf(out, size, "%zu %s", bytes, units[u]);
}

static size_t page_sizes(size_t *sizes, size_t cap)
{
    size_t count = 0;
    if (mmapc_page_sizes(sizes, cap, &count) != 0)
        return 0;
    return count < cap ? count : cap;
}

int cmd_page_sizes(int json)
{
    size_t sizes[16];
    size_t n = page_sizes(sizes, 16);
    if (json)
        fputc('[', stdout);
    for (size_t i = 0; i < n; i++) {
        char h[32];
        human(sizes[i], h, sizeof h);
        if (json)
            printf("%s%zu", i ? ", " : "", sizes[i]);
        else
            printf("%zu (%s)%s\n", sizes[i], h, i == 0 ? " base" : " huge");
    }
    if (json)
        fputs("]\n", stdout);
    return EXIT_OK;
}

/* The first number in a file, or -1. */
static long read_number(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

#ifdef __linux__
/* The selected word of a sysfs choice such as "always [madvise] never", or "unavailable". */
static void sysfs_choice(const char *path, char *out, size_t size)
{
    char line[256];
    snprintf(out, size, "unavailable");
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(line, sizeof line, f)) {
        char *open = strchr(line, '['), *close = open ? strchr(open, ']') : NULL;
        if (open && close)
            snprintf(out, size, "%.*s", (int)(close - open - 1), open + 1);
    }
    fclose(f);
}
#endif

int cmd_info(int json, unsigned proc_flags)
{
    size_t sizes[16];
    size_t n = page_sizes(sizes, 16);
    char thp[64] = "unavailable", kernel[256] = "unknown";
#ifdef __linux__
    sysfs_choice("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(kernel, sizeof kernel, "%s %s %s", u.sysname, u.release, u.machine);
#endif
    mmapc_proc *self;
    int direct = 0;
    if (mmapc_proc_open(&self, MMAPC_SELF, proc_flags) == 0) {
        direct = mmapc_proc_direct(self);
        mmapc_proc_close(self);
    }
#ifdef __linux__
    const char *method = direct ? "PROCMAP_QUERY ioctl" : "text of /proc/PID/maps";
#else
    const char *method = direct ? "direct" : "text";
#endif
    if (json) {
        printf("{\"version\": \"%s\", \"system\": ", mmapc_version());
        json_string(stdout, kernel, strlen(kernel));
        printf(", \"page_size\": %zu, \"allocation_granularity\": %zu, "
               "\"default_huge_page_size\": %zu, \"huge_pages\": [",
               mmapc_page_size(), mmapc_allocation_granularity(), mmapc_default_huge_page_size());
    } else {
        char h[32];
        key_value("mmapc", mmapc_version());
        key_value("system", kernel);
        human(mmapc_page_size(), h, sizeof h);
        key_value("page size", h);
        human(mmapc_allocation_granularity(), h, sizeof h);
        key_value("allocation granularity", h);
        if (n <= 1)
            key_value("huge pages", "none");
    }
    for (size_t i = 1; i < n; i++) {
        char path[128], h[32], key[64], value[96];
        snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-%zukB/nr_hugepages",
                 sizes[i] / 1024);
        long total = read_number(path);
        snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-%zukB/free_hugepages",
                 sizes[i] / 1024);
        long avail = read_number(path);
        human(sizes[i], h, sizeof h);
        if (json)
            printf("%s{\"size\": %zu, \"reserved\": %ld, \"free\": %ld, \"default\": %s}",
                   i > 1 ? ", " : "", sizes[i], total, avail,
                   sizes[i] == mmapc_default_huge_page_size() ? "true" : "false");
        else {
            snprintf(key, sizeof key, "huge pages %s", h);
            snprintf(value, sizeof value, "%ld reserved, %ld free%s", total, avail,
                     sizes[i] == mmapc_default_huge_page_size() ? " (default)" : "");
            key_value(key, value);
        }
    }
    if (json) {
        printf("], \"transparent_huge_pages\": \"%s\", \"area_queries\": \"%s\", "
               "\"procmap_query\": %s}\n",
               thp, method, direct ? "true" : "false");
    } else {
        key_value("transparent huge pages", thp);
        key_value("area queries", method);
    }
    return EXIT_OK;
}
