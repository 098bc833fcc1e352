/* Rows of memory areas: query and enumerate with N extra areas. */
#include "bench.h"

void bench_areas_rows(void)
{
    bench_note("query and enumerate rows skipped: the memory-areas API is not in this build yet");
}
