/* test_gemm.c - SGEMM against a double-precision reference over many
 * shapes, layouts, epilogues, kernels (scalar, AVX2, the AVX-512 blocking
 * emulated on AVX2, AVX-512 where the CPU has it), prepacked B, batching and
 * threads; plus the f64 and i64 products. */
#include <stdint.h>
#include <stdlib.h>

#include "core/cpu.h"
#include "core/pool.h"
#include "ops/gemm.h"
#include "test.h"

static uint64_t rng_state = 88172645463325252ull;
static float frand(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (float)((double)(rng_state >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

typedef struct gcase {
    int64_t M, N, K;
    bool ta, tb;
    int pad;          /* extra elements per row of A, B and C */
    float alpha, beta;
    bool bias_n, bias_m;
    int act; /* 0: none, 1: relu (clamp to [0, inf]), 2: clamp to [-0.25, 0.5] */
    bool packed;
} gcase;

/* Runs one case with kernel k and pool; returns the number of mismatches. */
static int run_case(const gcase *c, cts_gemm_kernel k, cts_pool *pool) {
    int64_t M = c->M, N = c->N, K = c->K;
    int64_t arows = c->ta ? K : M, acols = c->ta ? M : K;
    int64_t brows = c->tb ? N : K, bcols = c->tb ? K : N;
    int64_t lda = acols + c->pad, ldb = bcols + c->pad, ldc = N + c->pad;
    size_t an = (size_t)(arows * lda) + 1, bn = (size_t)(brows * ldb) + 1, cn = (size_t)(M * ldc) + 1;
    float *A = malloc(an * sizeof(float)), *B = malloc(bn * sizeof(float)), *C = malloc(cn * sizeof(float));
    float *C0 = malloc(cn * sizeof(float));
    float *bn_v = malloc((size_t)(N + 1) * sizeof(float)), *bm_v = malloc((size_t)(M + 1) * sizeof(float));
    /* padding holds NaN: reading it would poison the result */
    for (size_t i = 0; i < an; i++) A[i] = NAN;
    for (size_t i = 0; i < bn; i++) B[i] = NAN;
    for (int64_t i = 0; i < arows; i++)
        for (int64_t j = 0; j < acols; j++) A[i * lda + j] = frand();
    for (int64_t i = 0; i < brows; i++)
        for (int64_t j = 0; j < bcols; j++) B[i * ldb + j] = frand();
    for (size_t i = 0; i < cn; i++) C[i] = c->beta == 0.0f ? NAN : frand();
    memcpy(C0, C, cn * sizeof(float));
    for (int64_t j = 0; j < N; j++) bn_v[j] = frand();
    for (int64_t i = 0; i < M; i++) bm_v[i] = frand();

    cts_err err = {0};
    cts_gemm_packed *pk = NULL;
    if (c->packed) {
        pk = cts_gemm_pack_b(K, N, B, ldb, c->tb, k, &err);
        CHECK(pk != NULL);
    }
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = M;
    g.N = N;
    g.K = K;
    g.A = A;
    g.lda = lda;
    g.trans_a = c->ta;
    g.B = pk ? NULL : B;
    g.ldb = ldb;
    g.trans_b = c->tb;
    g.packed_b = pk;
    g.C = C;
    g.ldc = ldc;
    g.alpha = c->alpha;
    g.beta = c->beta;
    g.bias_n = c->bias_n ? bn_v : NULL;
    g.bias_m = c->bias_m ? bm_v : NULL;
    g.clamp = c->act != 0;
    g.clamp_lo = c->act == 1 ? 0.0f : -0.25f;
    g.clamp_hi = c->act == 1 ? INFINITY : 0.5f;
    g.kernel = k;
    int rc = cts_sgemm(&g, pool, &err);
    CHECK_EQ_INT(rc, 0);
    int bad = 0;
    for (int64_t i = 0; i < M && bad < 5; i++) {
        for (int64_t j = 0; j < N; j++) {
            double s = 0, mag = 0;
            for (int64_t p = 0; p < K; p++) {
                double a = c->ta ? A[p * lda + i] : A[i * lda + p];
                double b = c->tb ? B[j * ldb + p] : B[p * ldb + j];
                s += a * b;
                mag += fabs(a * b);
            }
            double ref = c->alpha * s;
            mag = fabs(c->alpha) * mag;
            if (c->beta != 0.0f) {
                ref += c->beta * (double)C0[i * ldc + j];
                mag += fabs(c->beta * (double)C0[i * ldc + j]);
            }
            if (c->bias_n) ref += bn_v[j], mag += fabs(bn_v[j]);
            if (c->bias_m) ref += bm_v[i], mag += fabs(bm_v[i]);
            if (c->act && ref < g.clamp_lo) ref = g.clamp_lo;
            if (c->act && ref > g.clamp_hi) ref = g.clamp_hi;
            double got = C[i * ldc + j];
            double tol = (double)(K + 4) * 1.2e-7 * mag + 1e-6;
            if (!(fabs(got - ref) <= tol)) {
                if (bad < 5)
                    fprintf(stderr,
                            "  kernel %s M=%lld N=%lld K=%lld ta=%d tb=%d pad=%d a=%g b=%g bn=%d bm=%d act=%d "
                            "packed=%d: C[%lld,%lld] = %.9g, want %.9g\n",
                            cts_gemm_kernel_name(k), (long long)M, (long long)N, (long long)K, c->ta, c->tb, c->pad,
                            c->alpha, c->beta, c->bias_n, c->bias_m, c->act, c->packed, (long long)i, (long long)j,
                            got, ref);
                bad++;
            }
        }
        /* padding of C untouched */
        for (int64_t j = N; j < ldc && i * ldc + j < (int64_t)cn - 1; j++)
            if (memcmp(&C[i * ldc + j], &C0[i * ldc + j], sizeof(float))) bad++;
    }
    cts_gemm_packed_free(pk);
    free(A);
    free(B);
    free(C);
    free(C0);
    free(bn_v);
    free(bm_v);
    return bad;
}

static const cts_gemm_kernel KERNELS[] = {CTS_GEMM_SCALAR, CTS_GEMM_AVX2, CTS_GEMM_AVX2_WIDE, CTS_GEMM_AVX512,
                                          CTS_GEMM_AUTO};
#define NKERNELS ((int)(sizeof KERNELS / sizeof *KERNELS))

static const int64_t SHAPES[][3] = {
    {1, 1, 1},    {1, 1, 7},     {2, 3, 5},     {1, 17, 3},    {5, 1, 9},     {6, 16, 8},   {7, 17, 9},
    {13, 31, 29}, {14, 32, 64},  {15, 33, 257}, {29, 47, 300}, {97, 89, 83},  {1, 100, 513}, {300, 5, 40},
    {145, 50, 3}, {64, 64, 64},  {169, 65, 260}, {3, 4100, 2},
};
#define NSHAPES ((int)(sizeof SHAPES / sizeof *SHAPES))

TEST(test_sgemm_shapes_all_kernels) {
    for (int s = 0; s < NSHAPES; s++) {
        for (int k = 0; k < NKERNELS; k++) {
            gcase c = {SHAPES[s][0], SHAPES[s][1], SHAPES[s][2], false, false, 0, 1.0f, 0.0f, false, false, false, false};
            CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
        }
    }
}

TEST(test_sgemm_transposes_strides_beta) {
    static const int64_t sh[][3] = {{7, 19, 23}, {33, 17, 300}, {1, 40, 9}, {20, 1, 5}};
    for (int s = 0; s < 4; s++)
        for (int k = 0; k < NKERNELS; k++)
            for (int t = 0; t < 4; t++)
                for (int bi = 0; bi < 3; bi++) {
                    static const float betas[] = {0.0f, 1.0f, -0.5f};
                    gcase c = {sh[s][0], sh[s][1], sh[s][2], t & 1, (t >> 1) & 1, 3, bi == 2 ? 2.0f : 1.0f,
                               betas[bi], false, false, false, false};
                    CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
                }
}

TEST(test_sgemm_epilogues) {
    static const int64_t sh[][3] = {{7, 19, 23}, {33, 70, 600}, {14, 32, 1}, {1, 5, 3}};
    for (int s = 0; s < 4; s++)
        for (int k = 0; k < NKERNELS; k++)
            for (int f = 0; f < 8; f++) {
                gcase c = {sh[s][0], sh[s][1], sh[s][2], false, true, 1, 1.0f, (f & 4) ? 1.0f : 0.0f,
                           (f & 1) != 0, (f & 2) != 0, 1, false};
                CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
                c.act = 2;
                CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
                c.act = 0;
                c.bias_n = c.bias_m = true;
                CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
            }
}

TEST(test_sgemm_prepacked_b) {
    static const int64_t sh[][3] = {{1, 1, 1}, {1, 1000, 512}, {7, 19, 23}, {33, 70, 600}, {100, 33, 257}, {5, 4200, 3}};
    for (int s = 0; s < 6; s++)
        for (int k = 0; k < NKERNELS; k++)
            for (int tb = 0; tb < 2; tb++) {
                gcase c = {sh[s][0], sh[s][1], sh[s][2], false, tb, 2, 1.0f, 0.0f, true, false, false, true};
                CHECK_EQ_INT(run_case(&c, KERNELS[k], NULL), 0);
            }
}

TEST(test_sgemm_large_and_threads) {
    cts_err err = {0};
    cts_pool *p2 = cts_pool_new(2, &err), *p3 = cts_pool_new(3, &err);
    CHECK(p2 && p3);
    static const int64_t sh[][3] = {{256, 1024, 64}, {3, 1024, 1024}, {1024, 24, 70}, {191, 263, 301}};
    for (int s = 0; s < 4; s++) {
        for (int pk = 0; pk < 2; pk++) {
            gcase c = {sh[s][0], sh[s][1], sh[s][2], false, false, 0, 1.0f, 0.0f, true, false, false, pk};
            CHECK_EQ_INT(run_case(&c, CTS_GEMM_AUTO, p2), 0);
            CHECK_EQ_INT(run_case(&c, CTS_GEMM_AUTO, p3), 0);
            CHECK_EQ_INT(run_case(&c, CTS_GEMM_AVX2_WIDE, p2), 0);
        }
    }
    cts_pool_free(p2);
    cts_pool_free(p3);
}

TEST(test_sgemm_empty_and_k0) {
    cts_err err = {0};
    float C[6] = {1, 2, 3, 4, 5, 6}, bias[3] = {10, 20, 30};
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = 2;
    g.N = 3;
    g.K = 0;
    g.C = C;
    g.ldc = 3;
    g.beta = 2.0f;
    g.bias_n = bias;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), 0);
    CHECK_NEAR(C[0], 12, 0);
    CHECK_NEAR(C[5], 42, 0);
    g.beta = 0.0f;
    C[0] = NAN;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), 0);
    CHECK_NEAR(C[0], 10, 0);
    g.M = 0;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), 0);
    g.M = -1;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), -1);
    CHECK_CONTAINS(err.msg, "negative size");
}

TEST(test_sgemm_packed_mismatch_is_error) {
    cts_err err = {0};
    float B[6] = {1, 2, 3, 4, 5, 6}, A[2] = {1, 1}, C[3];
    cts_gemm_packed *pk = cts_gemm_pack_b(2, 3, B, 3, false, CTS_GEMM_AUTO, &err);
    CHECK(pk != NULL);
    CHECK_EQ_INT(cts_gemm_packed_k(pk), 2);
    CHECK_EQ_INT(cts_gemm_packed_n(pk), 3);
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    g.M = 1;
    g.N = 3;
    g.K = 3;
    g.A = A;
    g.lda = 3;
    g.packed_b = pk;
    g.C = C;
    g.ldc = 3;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), -1);
    CHECK_CONTAINS(err.msg, "packed B is 2x3");
    g.K = 2;
    CHECK_EQ_INT(cts_sgemm(&g, NULL, &err), 0);
    CHECK_NEAR(C[0], 5, 0);
    CHECK_NEAR(C[2], 9, 0);
    cts_gemm_packed_free(pk);
}

TEST(test_sgemm_batched_with_broadcast) {
    cts_err err = {0};
    cts_pool *pool = cts_pool_new(2, &err);
    enum { BT = 5, M = 9, N = 21, K = 13 };
    float A[BT][M][K], B[K][N], C[BT][M][N];
    for (int b = 0; b < BT; b++)
        for (int i = 0; i < M; i++)
            for (int k = 0; k < K; k++) A[b][i][k] = frand();
    for (int k = 0; k < K; k++)
        for (int j = 0; j < N; j++) B[k][j] = frand();
    for (int pass = 0; pass < 3; pass++) {
        cts_gemm_packed *pk = pass == 2 ? cts_gemm_pack_b(K, N, &B[0][0], N, false, CTS_GEMM_AUTO, &err) : NULL;
        cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
        g.M = M;
        g.N = N;
        g.K = K;
        g.A = &A[0][0][0];
        g.lda = K;
        g.B = pk ? NULL : &B[0][0];
        g.ldb = N;
        g.packed_b = pk;
        g.C = &C[0][0][0];
        g.ldc = N;
        CHECK_EQ_INT(cts_sgemm_batched(&g, BT, M * K, 0, M * N, pass ? pool : NULL, &err), 0);
        int bad = 0;
        for (int b = 0; b < BT; b++)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) {
                    double s = 0;
                    for (int k = 0; k < K; k++) s += (double)A[b][i][k] * B[k][j];
                    if (fabs(s - C[b][i][j]) > 1e-5) bad++;
                }
        CHECK_EQ_INT(bad, 0);
        cts_gemm_packed_free(pk);
    }
    cts_pool_free(pool);
}

TEST(test_dgemm_matches_reference) {
    cts_err err = {0};
    cts_pool *pool = cts_pool_new(2, &err);
    static const int64_t sh[][3] = {{1, 1, 1}, {7, 19, 23}, {130, 600, 140}};
    for (int s = 0; s < 3; s++)
        for (int t = 0; t < 4; t++) {
            int64_t M = sh[s][0], N = sh[s][1], K = sh[s][2];
            double *A = malloc(sizeof(double) * (size_t)(M * K)), *B = malloc(sizeof(double) * (size_t)(K * N));
            double *C = malloc(sizeof(double) * (size_t)(M * N));
            for (int64_t i = 0; i < M * K; i++) A[i] = frand();
            for (int64_t i = 0; i < K * N; i++) B[i] = frand();
            for (int64_t i = 0; i < M * N; i++) C[i] = 1.0;
            cts_dgemm_args g = {M, N, K, A, (t & 1) ? M : K, t & 1, B, (t & 2) ? K : N, (t & 2) != 0, C, N, 2.0, 0.5};
            CHECK_EQ_INT(cts_dgemm(&g, pool, &err), 0);
            int bad = 0;
            for (int64_t i = 0; i < M; i++)
                for (int64_t j = 0; j < N; j++) {
                    double r = 0;
                    for (int64_t k = 0; k < K; k++)
                        r += ((t & 1) ? A[k * M + i] : A[i * K + k]) * ((t & 2) ? B[j * K + k] : B[k * N + j]);
                    r = 2.0 * r + 0.5;
                    if (fabs(r - C[i * N + j]) > 1e-12 * (double)(K + 1)) bad++;
                }
            CHECK_EQ_INT(bad, 0);
            free(A);
            free(B);
            free(C);
        }
    cts_pool_free(pool);
}

TEST(test_igemm_wraps_like_twos_complement) {
    cts_err err = {0};
    int64_t A[2] = {INT64_MAX, 3}, B[2] = {2, 5}, C[1] = {7};
    cts_igemm_args g = {1, 1, 2, A, 2, false, B, 1, false, C, 1, 1, 1};
    CHECK_EQ_INT(cts_igemm(&g, NULL, &err), 0);
    /* INT64_MAX*2 wraps to -2; + 15 + 7 */
    CHECK_EQ_INT(C[0], 20);
    g.beta = 0;
    g.alpha = 3;
    CHECK_EQ_INT(cts_igemm(&g, NULL, &err), 0);
    CHECK_EQ_INT(C[0], 39);
}

int main(void) {
    printf("gemm kernel: %s (cpu isa %s)\n", cts_gemm_kernel_name(cts_gemm_kernel_auto()), cts_isa_name(cts_cpu_isa()));
    RUN(test_sgemm_shapes_all_kernels);
    RUN(test_sgemm_transposes_strides_beta);
    RUN(test_sgemm_epilogues);
    RUN(test_sgemm_prepacked_b);
    RUN(test_sgemm_large_and_threads);
    RUN(test_sgemm_empty_and_k0);
    RUN(test_sgemm_packed_mismatch_is_error);
    RUN(test_sgemm_batched_with_broadcast);
    RUN(test_dgemm_matches_reference);
    RUN(test_igemm_wraps_like_twos_complement);
    return test_summary();
}
