// SPDX-License-Identifier: MIT
/* Error names and messages, generated from MMAPC_ERROR_LIST, and the per-thread raw OS error. */
#include "internal.h"

static _Thread_local int last_os_error;

int mmapc__os_fail(int raw, int code)
{
    last_os_error = raw;
    return code;
}

int mmapc__fail(int code)
{
    last_os_error = 0;
    return code;
}

int mmapc_last_os_error(void)
{
    return last_os_error;
}

const char *mmapc_strerror(int code)
{
    switch (code) {
    case MMAPC_OK:
        return "success";
#define MMAPC__ERROR_MESSAGE(name, value, message)                                                 \
    case MMAPC_##name:                                                                             \
        return message;
        MMAPC_ERROR_LIST(MMAPC__ERROR_MESSAGE)
#undef MMAPC__ERROR_MESSAGE
    default:
        return "unknown error";
    }
}

const char *mmapc_err_name(int code)
{
    switch (code) {
    case MMAPC_OK:
        return "MMAPC_OK";
#define MMAPC__ERROR_NAME(name, value, message)                                                    \
    case MMAPC_##name:                                                                             \
        return "MMAPC_" #name;
        MMAPC_ERROR_LIST(MMAPC__ERROR_NAME)
#undef MMAPC__ERROR_NAME
    default:
        return "MMAPC_EUNKNOWN";
    }
}

const char *mmapc_version(void)
{
    return MMAPC_VERSION_STRING;
}
