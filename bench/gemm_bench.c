/* gemm_bench.c - GFLOP/s of cts_sgemm on the inference shapes of
 * docs/libraries.md (C = A.B, row-major, B is K x N), plain and with B
 * prepacked.  Median and best of 7 samples of >= 20 ms each (on a shared
 * machine the best sample is the better estimate of what the code can do).
 *
 *   gemm_bench [threads] [kernel]      kernel: auto|scalar|avx2|avx512|avx2-wide
 *   gemm_bench 1 auto 1024             only the 1024^3 case
 *
 * With 1 thread, time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so
 * a busy shared machine that deschedules the benchmark does not lower the
 * number; with more threads it is wall time.
 *
 * Build (after `cmake --build build`, which makes build/libcts.a; the GEMM's
 * packed-weight cache needs the tensor layer):
 *   gcc -O2 -std=c11 -D_GNU_SOURCE -Isrc bench/gemm_bench.c build/libcts.a
 *       -lpthread -lm -o /tmp/gemm_bench */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/cpu.h"
#include "bench_timing.h"
#include "core/pool.h"
#include "ops/gemm.h"


/* Median seconds per call; *best gets the fastest sample. */
static double bench(const cts_sgemm_args *g, cts_pool *pool, double *best) {
    cts_err err = {0};
    int iters = 1;
    for (;;) {
        double t0 = now();
        for (int i = 0; i < iters; i++) cts_sgemm(g, pool, &err);
        double dt = now() - t0;
        if (dt >= 0.02) break;
        iters = dt <= 0 ? iters * 10 : (int)(iters * 0.025 / dt) + 1;
    }
    double s[7];
    for (int r = 0; r < 7; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) cts_sgemm(g, pool, &err);
        s[r] = (now() - t0) / iters;
    }
    qsort(s, 7, sizeof *s, cmp_d);
    *best = s[0];
    return s[3];
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    cts_gemm_kernel kern = CTS_GEMM_AUTO;
    if (argc > 2) {
        static const cts_gemm_kernel ks[] = {CTS_GEMM_AUTO, CTS_GEMM_SCALAR, CTS_GEMM_AVX2, CTS_GEMM_AVX512,
                                             CTS_GEMM_AVX2_WIDE};
        for (int i = 0; i < 5; i++)
            if (!strcmp(argv[2], cts_gemm_kernel_name(ks[i]))) kern = ks[i];
    }
    int only = argc > 3 ? atoi(argv[3]) : 0;
    if (threads <= 1) g_clock = CLOCK_THREAD_CPUTIME_ID;
    static const long shapes[][3] = {{1, 1000, 512},   {1, 4096, 4096}, {64, 64, 64},     {196, 256, 2304},
                                     {3136, 64, 576},  {12544, 32, 27}, {128, 768, 768},  {1024, 1024, 1024}};
    cts_err err = {0};
    cts_pool *pool = threads > 1 ? cts_pool_new(threads, &err) : NULL;
    cts_gemm_kernel used = kern == CTS_GEMM_AUTO ? cts_gemm_kernel_auto() : kern;
    printf("cts_sgemm, kernel %s, %d thread(s), cpu isa %s, %s time\n", cts_gemm_kernel_name(used), threads,
           cts_isa_name(cts_cpu_isa()), threads <= 1 ? "thread CPU" : "wall");
    printf("%-18s %21s %21s\n", "", "plain B", "prepacked B");
    printf("%-18s %10s %10s %10s %10s\n", "MxNxK", "median", "best", "median", "best");
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        long M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
        if (only && M != only) continue;
        float *A = aligned_alloc(64, (size_t)(M * K) * 4 + 64), *B = aligned_alloc(64, (size_t)(K * N) * 4 + 64);
        float *C = aligned_alloc(64, (size_t)(M * N) * 4 + 64);
        for (long i = 0; i < M * K; i++) A[i] = (float)((i * 7) % 13) * 0.1f;
        for (long i = 0; i < K * N; i++) B[i] = (float)((i * 5) % 11) * 0.1f;
        cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
        g.M = M;
        g.N = N;
        g.K = K;
        g.A = A;
        g.lda = K;
        g.B = B;
        g.ldb = N;
        g.C = C;
        g.ldc = N;
        g.kernel = kern;
        double flops = 2.0 * (double)M * (double)N * (double)K;
        double bt, bp;
        double t = bench(&g, pool, &bt);
        cts_gemm_packed *pk = cts_gemm_pack_b(K, N, B, N, false, kern, &err);
        g.B = NULL;
        g.packed_b = pk;
        double tp = bench(&g, pool, &bp);
        char name[64];
        snprintf(name, sizeof name, "%ldx%ldx%ld", M, N, K);
        printf("%-18s %10.1f %10.1f %10.1f %10.1f\n", name, flops / t * 1e-9, flops / bt * 1e-9, flops / tp * 1e-9,
               flops / bp * 1e-9);
        cts_gemm_packed_free(pk);
        free(A);
        free(B);
        free(C);
    }
    cts_pool_free(pool);
    return 0;
}
