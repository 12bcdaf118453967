/* bench_timing.h - the clock and the sort of the kernel benchmarks
 * (gemm_bench.c, conv_bench.c). */
#ifndef CTS_BENCH_TIMING_H
#define CTS_BENCH_TIMING_H

#include <time.h>

/* CLOCK_MONOTONIC, or the thread's CPU time for one-thread runs (a shared
 * machine that deschedules the benchmark does not lower the number). */
static clockid_t g_clock = CLOCK_MONOTONIC;

static double now(void) {
    struct timespec ts;
    clock_gettime(g_clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
