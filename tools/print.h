// SPDX-License-Identifier: MIT
/* Output of the mmapc tool: areas as a table or as JSON, and JSON strings for any bytes. */
#ifndef MMAPC_TOOL_PRINT_H
#define MMAPC_TOOL_PRINT_H

#include "mmapc.h"

#include <stdio.h>

/* Escape a string for JSON, quotes included. Bytes that are not UTF-8 become U+FFFD; the
 * return value is non-zero when that happened (the caller then adds the raw bytes in hex). */
int json_string(FILE *out, const char *s, size_t len);
/* The bytes as lower-case hex, in quotes. */
void json_hex(FILE *out, const char *s, size_t len);

/* The header line of the table. */
void print_area_header(FILE *out);
/* One area as a table row; note (may be NULL) is appended after the path. */
void print_area_row(FILE *out, const mmapc_area *a, const char *note);
/* One area as a JSON object (no trailing newline). */
void print_area_json(FILE *out, const mmapc_area *a);

#endif
