/* test_conv_direct.c - the direct channels-last convolution (conv_direct.h)
 * against a double-precision reference loop, for every kernel this machine
 * can run (portable C, AVX2 6x16, the AVX-512 14x32 blocking emulated on
 * AVX2, AVX-512 where present), over a grid of shapes: strides, asymmetric
 * end padding, dilation, groups, batches, tile and channel-block edges, and
 * channel counts that are not multiples of the tile.  Then the packed-weight
 * cache: one packing per weight and version, none for unsuitable weights,
 * and a packing that does not match the problem is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu.h"
#include "ops/conv_direct.h"
#include "tensor/tensor.h"
#include "test.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static float frand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)((double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

static float *rand_buf(size_t n) {
    float *p = malloc((n ? n : 1) * sizeof *p);
    for (size_t i = 0; i < n; i++) p[i] = frand();
    return p;
}

/* y = conv(x, w) + bias in double; OH/OW from p. */
static void reference(const conv_prob *p, const float *x, const float *w, const float *bias, double *y) {
    int64_t Cg = p->C / p->G, Kg = p->K / p->G;
    for (int64_t n = 0; n < p->N; n++)
        for (int64_t oc = 0; oc < p->K; oc++) {
            int64_t g = oc / Kg;
            for (int64_t oh = 0; oh < p->OH; oh++)
                for (int64_t ow = 0; ow < p->OW; ow++) {
                    double s = bias ? bias[oc] : 0.0;
                    for (int64_t c = 0; c < Cg; c++)
                        for (int64_t ki = 0; ki < p->kh; ki++)
                            for (int64_t kj = 0; kj < p->kw; kj++) {
                                int64_t ih = oh * p->sh - p->ph + ki * p->dh, iw = ow * p->sw - p->pw + kj * p->dw;
                                if (ih < 0 || ih >= p->H || iw < 0 || iw >= p->W) continue;
                                s += (double)x[((n * p->C + g * Cg + c) * p->H + ih) * p->W + iw] *
                                     (double)w[((oc * Cg + c) * p->kh + ki) * p->kw + kj];
                            }
                    y[((n * p->K + oc) * p->OH + oh) * p->OW + ow] = s;
                }
        }
}

typedef struct shape {
    int64_t N, C, K, H, W, kh, kw, sh, sw, ph, pw, dh, dw, G, pad_end_h, pad_end_w;
} shape;

static const shape SHAPES[] = {
    /* N  C   K   H   W  kh kw sh sw ph pw dh dw G  end_h end_w */
    {1, 3, 16, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    {1, 5, 7, 8, 11, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},      /* K below one tile */
    {2, 8, 40, 13, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1},   /* K not a multiple of NR, batch 2 */
    {1, 3, 33, 23, 23, 7, 7, 2, 2, 3, 3, 1, 1, 1, 3, 3},   /* the stem shape, small */
    {1, 16, 16, 7, 7, 3, 3, 1, 1, 0, 0, 1, 1, 1, 0, 0},    /* no padding */
    {1, 6, 18, 12, 9, 3, 5, 1, 2, 2, 1, 2, 1, 1, 2, 1},    /* dilation along H */
    {1, 6, 18, 12, 9, 3, 3, 2, 1, 1, 2, 1, 3, 1, 1, 2},    /* dilation along W: per-tap runs */
    {1, 16, 32, 9, 9, 3, 3, 1, 1, 1, 1, 1, 1, 2, 1, 1},    /* groups of 16 channels */
    {1, 24, 24, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3, 1, 1},    /* groups of 8 */
    {1, 4, 16, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2, 0},   /* asymmetric end padding ("same") */
    {1, 130, 20, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},   /* several channel blocks */
    {1, 2, 16, 1, 40, 1, 5, 1, 3, 0, 2, 1, 1, 1, 0, 2},    /* 1-D as a unit height */
    {1, 3, 16, 20, 20, 4, 4, 4, 4, 0, 0, 1, 1, 1, 0, 0},   /* patch embedding (stride = kernel) */
    {1, 7, 9, 3, 3, 5, 5, 1, 1, 2, 2, 1, 1, 1, 2, 2},      /* kernel larger than the input */
};

static void set_geometry(conv_prob *p, const shape *s) {
    p->N = s->N, p->C = s->C, p->H = s->H, p->W = s->W, p->K = s->K, p->kh = s->kh, p->kw = s->kw;
    p->sh = s->sh, p->sw = s->sw, p->ph = s->ph, p->pw = s->pw, p->dh = s->dh, p->dw = s->dw, p->G = s->G;
    p->OH = (s->H + s->ph + s->pad_end_h - (s->dh * (s->kh - 1) + 1)) / s->sh + 1;
    p->OW = (s->W + s->pw + s->pad_end_w - (s->dw * (s->kw - 1) + 1)) / s->sw + 1;
}

static double max_rel_err(const float *y, const double *ref, size_t n) {
    double scale = 0, err = 0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(ref[i]));
    for (size_t i = 0; i < n; i++) err = fmax(err, fabs((double)y[i] - ref[i]));
    return scale > 0 ? err / scale : err;
}

static void check_kernel(cts_gemm_kernel kind, cts_pool *pool) {
    for (size_t si = 0; si < sizeof SHAPES / sizeof *SHAPES; si++) {
        const shape *s = &SHAPES[si];
        conv_prob p;
        set_geometry(&p, s);
        int64_t Cg = s->C / s->G;
        CHECK(cts_conv_direct_suits(s->K, Cg, s->kh, s->kw, s->G));
        size_t nx = (size_t)(s->N * s->C * s->H * s->W), nw = (size_t)(s->K * Cg * s->kh * s->kw);
        size_t ny = (size_t)(p.N * p.K * p.OH * p.OW);
        float *x = rand_buf(nx), *w = rand_buf(nw), *bias = rand_buf((size_t)s->K), *y = malloc(ny * sizeof *y);
        double *ref = malloc(ny * sizeof *ref);
        for (int with_bias = 0; with_bias < 2; with_bias++) {
            cts_err err = {0};
            cts_conv_packed *pk = cts_conv_pack(kind, w, s->K, Cg, s->kh, s->kw, s->G, &err);
            CHECK(pk != NULL);
            if (!pk) continue;
            for (size_t i = 0; i < ny; i++) y[i] = NAN;
            const float *b = with_bias ? bias : NULL;
            CHECK_EQ_INT(cts_conv_direct(&p, pk, x, b, NULL, y, pool, &err), 0);
            reference(&p, x, w, b, ref);
            double e = max_rel_err(y, ref, ny);
            if (!(e <= 1e-5))
                fprintf(stderr, "kernel %s, shape %zu, bias %d: max rel err %g\n", cts_gemm_kernel_name(kind), si,
                        with_bias, e);
            CHECK(e <= 1e-5);
            cts_conv_packed_free(pk);
        }
        free(x), free(w), free(bias), free(y), free(ref);
    }
}

TEST(direct_matches_reference_every_kernel) {
    check_kernel(CTS_GEMM_SCALAR, NULL);
#if defined(__x86_64__) || defined(__i386__)
    if (cts_cpu_isa() >= CTS_ISA_AVX2) {
        check_kernel(CTS_GEMM_AVX2, NULL);
        check_kernel(CTS_GEMM_AVX2_WIDE, NULL);
    }
    if (cts_cpu_isa() >= CTS_ISA_AVX512) check_kernel(CTS_GEMM_AVX512, NULL);
#endif
}

TEST(direct_threads_match) {
    cts_err err = {0};
    cts_pool *pool = cts_pool_new(3, &err);
    CHECK(pool != NULL);
    check_kernel(CTS_GEMM_AUTO, pool);
    cts_pool_free(pool);
}

TEST(suits_only_spatial_dense_kernels) {
    CHECK(cts_conv_direct_suits(64, 64, 3, 3, 1));
    CHECK(cts_conv_direct_suits(64, 3, 7, 7, 1));
    CHECK(!cts_conv_direct_suits(64, 64, 1, 1, 1));   /* 1x1: a GEMM */
    CHECK(!cts_conv_direct_suits(32, 1, 3, 3, 32));   /* depthwise */
    CHECK(!cts_conv_direct_suits(32, 8, 3, 3, 8));    /* 4 output channels per group */
    CHECK(!cts_conv_direct_suits(30, 3, 3, 3, 4));    /* K not divisible by groups */
    CHECK(!cts_conv_direct_suits(0, 3, 3, 3, 1));
}

static ct_tensor *weight(int64_t K, int64_t Cg, int64_t kh, int64_t kw) {
    cts_err err = {0};
    int64_t sz[4] = {K, Cg, kh, kw};
    ct_tensor *t = ct_tensor_empty(CT_FLOAT32, 4, sz, &err);
    float *d = ct_data(t);
    for (int64_t i = 0; i < ct_numel(t); i++) d[i] = frand();
    t->storage->weight = true;
    return t;
}

TEST(cache_packs_once_per_version) {
    ct_tensor *w = weight(20, 6, 3, 3);
    int64_t before = cts_conv_cache_packings();
    CHECK(cts_conv_cached_weight(w, 1, false) == NULL); /* not made yet, not asked to */
    const cts_conv_packed *a = cts_conv_cached_weight(w, 1, true);
    CHECK(a != NULL);
    CHECK(cts_conv_cached_weight(w, 1, true) == a);
    CHECK(cts_conv_cached_weight(w, 1, false) == a);
    CHECK_EQ_INT(cts_conv_cache_packings() - before, 1);
    /* the same weight read with 2 groups is another packing */
    const cts_conv_packed *g2 = cts_conv_cached_weight(w, 2, true);
    CHECK(g2 != NULL && g2 != a);
    /* a written weight is packed again, with its new values */
    ((float *)ct_data(w))[0] += 1.0f;
    ct_storage_bump_version(w->storage);
    const cts_conv_packed *b = cts_conv_cached_weight(w, 1, true);
    CHECK(b != NULL && b != a);
    CHECK_EQ_INT(cts_conv_cache_packings() - before, 3);
    ct_tensor_release(w);
}

TEST(cache_refuses_unsuitable) {
    ct_tensor *pw = weight(16, 16, 1, 1), *dw = weight(16, 1, 3, 3);
    CHECK(cts_conv_cached_weight(pw, 1, true) == NULL);
    CHECK(cts_conv_cached_weight(dw, 16, true) == NULL);
    cts_err err = {0};
    int64_t sz[4] = {16, 4, 3, 3};
    ct_tensor *d64 = ct_tensor_zeros(CT_FLOAT64, 4, sz, &err);
    CHECK(cts_conv_cached_weight(d64, 1, true) == NULL);
    ct_tensor_release(pw);
    ct_tensor_release(dw);
    ct_tensor_release(d64);
}

TEST(mismatched_packing_is_an_error) {
    cts_err err = {0};
    float w[16 * 4 * 9] = {0}, x[4 * 5 * 5] = {0}, y[16 * 25];
    cts_conv_packed *pk = cts_conv_pack(CTS_GEMM_AUTO, w, 16, 4, 3, 3, 1, &err);
    conv_prob p = {1, 5, 5, 5, 16, 3, 3, 5, 5, 1, 1, 1, 1, 1, 1, 1}; /* 5 input channels: not the packing's 4 */
    CHECK_EQ_INT(cts_conv_direct(&p, pk, x, NULL, NULL, y, NULL, &err), -1);
    CHECK_CONTAINS(err.msg, "does not match");
    cts_conv_packed_free(pk);
}

int main(void) {
    RUN(direct_matches_reference_every_kernel);
    RUN(direct_threads_match);
    RUN(suits_only_spatial_dense_kernels);
    RUN(cache_packs_once_per_version);
    RUN(cache_refuses_unsuitable);
    RUN(mismatched_packing_is_an_error);
    return test_summary();
}
