// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for src/areas.c itself, on the fake platform of tests/fake/fake_os.c: the
 * listing is served in random chunks with a read error at a random read, and every iteration and
 * query must equal the line-by-line parse of the listing (or give the read's error), never end
 * early, and touch no memory it should not (ASan).
 *
 * Input: 12 bytes of plan, then the listing.
 *   0-7  seed of the chunk sizes and of the addresses queried
 *   8    chunk size: 0 as much as asked for; 1-200 up to that many bytes; above, up to
 *        (byte - 200) * 512 bytes
 *   9    below 128: the read that fails (byte % 64); otherwise none
 *   10   bits 0-1: the error; bits 4-7 all set: the open fails instead
 *   11   the size of the path buffer of each query
 */
#include "../tests/fake/fake_os.h"

#include "mmapc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const int codes[] = {MMAPC_ESRCH, MMAPC_EACCES, MMAPC_EPERM, MMAPC_ENOMEM};
    static const size_t path_sizes[] = {0, 1, 2, 9, 64, 4097};
    if (size < 12)
        return 0;
    fake_plan plan;
    memset(&plan, 0, sizeof plan);
    for (int i = 0; i < 8; i++)
        plan.seed = plan.seed << 8 | data[i];
    plan.max_chunk = data[8] <= 200 ? data[8] : (size_t)(data[8] - 200) * 512;
    plan.fail_at = data[9] < 128 ? data[9] % 64 : -1;
    plan.fail_code = codes[data[10] & 3];
    plan.fail_open = (data[10] & 0xf0) == 0xf0;
    plan.path_size = path_sizes[data[11] % (sizeof path_sizes / sizeof path_sizes[0])];
    plan.queries = 8;
    /* a copy of exactly the listing's size, so that ASan sees any read past it */
    size_t len = size - 12;
    char *text = malloc(len ? len : 1);
    if (!text)
        return 0;
    memcpy(text, data + 12, len);
    if (fake_check(text, len, &plan, NULL) != 0)
        abort();
    free(text);
    return 0;
}
