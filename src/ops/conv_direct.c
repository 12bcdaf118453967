/* conv_direct.c - direct channels-last convolution with prepacked weights
 * (see conv_direct.h for the scheme and the packed layout).
 *
 * One call, per image:
 *   1. the input [C, H, W] is copied channels-last into a zero-padded buffer
 *      xp [Hp, Wp, C] covering every position a tap reads (rows past the
 *      input and the padding are zeros);
 *   2. tasks (group, channel block, run of output pixels) run in the pool;
 *      each walks its pixels (flattened oh*OW + ow) in tiles of MR: the
 *      microkernel sums taps x input channels into MR x NR registers, then
 *      the tile goes to the NCHW output with the bias.
 * Output pixel (oh, ow) starts at xp + ((oh*sh)*Wp + ow*sw)*C + g*Cg and tap
 * t adds toff[t] = (ki*dh*Wp + kj*dw)*C. */
#include "conv_direct.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "../core/pool.h"
#include "../tensor/block_cache.h"

#if defined(__x86_64__) || defined(__i386__)
#define DCONV_X86 1
#endif

#define DC_ALIGN 64
#define DC_MAX_MR 14
#define DC_MAX_NR 32

struct cts_conv_packed {
    cts_gemm_kernel kind; /* resolved: never AUTO */
    int mr, nr;
    int64_t K, Cg, kh, kw, G, Kg, KB;
    size_t bytes;
    float *data;
};

/* mr pixels x nr channels over taps x C input channels: pixel r's first tap
 * at px[r], tap t at px[r] + toff[t]; the weights of tap t at w + t*ws.
 * Raw sums go to out[r*nr + j], added to what is there when `add`. */
typedef void (*dtile_fn)(int mr, const float *const *px, const int64_t *toff, int64_t taps, int64_t C,
                         const float *w, int64_t ws, float *out, bool add);

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* ------------------------------------------------------------------------ */
/* portable kernel: 4 x 16                                                   */

#define SC_MR 4
#define SC_NR 16

static void scalar_dtile(int mr, const float *const *px, const int64_t *toff, int64_t taps, int64_t C,
                         const float *w, int64_t ws, float *out, bool add) {
    float acc[SC_MR][SC_NR];
    if (add) memcpy(acc, out, sizeof acc);
    else memset(acc, 0, sizeof acc);
    for (int64_t t = 0; t < taps; t++) {
        const float *wt = w + t * ws;
        for (int64_t c = 0; c < C; c++, wt += SC_NR)
            for (int r = 0; r < mr; r++) {
                float a = px[r][toff[t] + c];
                for (int j = 0; j < SC_NR; j++) acc[r][j] += a * wt[j];
            }
    }
    memcpy(out, acc, sizeof acc);
}

/* ------------------------------------------------------------------------ */
/* SIMD kernels                                                              */

#ifdef DCONV_X86
#define DC_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)
#define DC_DECL(r)                                                                        \
    V_T acc##r##_0 = add && MRc > r ? V_LOAD(out + (r) * 2 * V_W) : V_ZERO();             \
    V_T acc##r##_1 = add && MRc > r ? V_LOAD(out + (r) * 2 * V_W + V_W) : V_ZERO();
#define DC_PTR(r) const float *xr##r = px[MRc > r ? r : 0] + toff[t];
#define DC_FMA(r)                                     \
    if (MRc > r) {                                    \
        V_T av = V_BCAST(xr##r + c);                  \
        acc##r##_0 = V_FMA(av, b0, acc##r##_0);       \
        acc##r##_1 = V_FMA(av, b1, acc##r##_1);       \
    }
#define DC_OUT(r)                                              \
    if (MRc > r) {                                             \
        V_STORE(out + (r) * 2 * V_W, acc##r##_0);              \
        V_STORE(out + (r) * 2 * V_W + V_W, acc##r##_1);        \
    }

#define DEFINE_DTILE(NAME, TGT, MRMAX)                                                                         \
    static inline __attribute__((always_inline, target(TGT))) void NAME##_dtile_m(                            \
        const int MRc, const float *const *px, const int64_t *toff, int64_t taps, int64_t C, const float *w0,  \
        int64_t ws, float *out, bool add) {                                                                    \
        DC_ROWS(DC_DECL)                                                                                       \
        for (int64_t t = 0; t < taps; t++) {                                                                   \
            DC_ROWS(DC_PTR)                                                                                    \
            const float *w = w0 + t * ws;                                                                      \
            for (int64_t c = 0; c < C; c++) {                                                                  \
                V_T b0 = V_LOAD(w), b1 = V_LOAD(w + V_W);                                                      \
                w += 2 * V_W;                                                                                  \
                DC_ROWS(DC_FMA)                                                                                \
            }                                                                                                  \
        }                                                                                                      \
        DC_ROWS(DC_OUT)                                                                                        \
    }                                                                                                          \
    __attribute__((target(TGT))) static void NAME##_dtile(int mr, const float *const *px, const int64_t *toff, \
                                                          int64_t taps, int64_t C, const float *w, int64_t ws, \
                                                          float *out, bool add) {                              \
        switch (mr) {                                                                                          \
        case 1: NAME##_dtile_m(1, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 2: NAME##_dtile_m(2, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 3: NAME##_dtile_m(3, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 4: NAME##_dtile_m(4, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 5: NAME##_dtile_m(5, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 6: NAME##_dtile_m(6, px, toff, taps, C, w, ws, out, add); break;                                        \
        case 7: if ((MRMAX) >= 7) NAME##_dtile_m(7, px, toff, taps, C, w, ws, out, add); break;                      \
        case 8: if ((MRMAX) >= 8) NAME##_dtile_m(8, px, toff, taps, C, w, ws, out, add); break;                      \
        case 9: if ((MRMAX) >= 9) NAME##_dtile_m(9, px, toff, taps, C, w, ws, out, add); break;                      \
        case 10: if ((MRMAX) >= 10) NAME##_dtile_m(10, px, toff, taps, C, w, ws, out, add); break;                   \
        case 11: if ((MRMAX) >= 11) NAME##_dtile_m(11, px, toff, taps, C, w, ws, out, add); break;                   \
        case 12: if ((MRMAX) >= 12) NAME##_dtile_m(12, px, toff, taps, C, w, ws, out, add); break;                   \
        case 13: if ((MRMAX) >= 13) NAME##_dtile_m(13, px, toff, taps, C, w, ws, out, add); break;                   \
        case 14: if ((MRMAX) >= 14) NAME##_dtile_m(14, px, toff, taps, C, w, ws, out, add); break;                   \
        default: break;                                                                                        \
        }                                                                                                      \
    }

#define SIMD_V SIMD_V_AVX2
#include "simd_v.h"
DEFINE_DTILE(avx2, SIMD_V_TGT, 6)
#include "simd_v_end.h"

#define SIMD_V SIMD_V_AVX512
#include "simd_v.h"
DEFINE_DTILE(avx512, SIMD_V_TGT, 14)
#include "simd_v_end.h"

#define SIMD_V SIMD_V_WIDE
#include "simd_v.h"
DEFINE_DTILE(wide, SIMD_V_TGT, 14)
#include "simd_v_end.h"
#endif

/* The kernel for kind (AUTO resolved, downgraded to what this process can
 * run, as gemm.c does), with its tile. */
static dtile_fn dtile_for(cts_gemm_kernel *kind, int *mr, int *nr) {
    cts_gemm_kernel k = *kind == CTS_GEMM_AUTO ? cts_gemm_kernel_auto() : *kind;
#ifdef DCONV_X86
    cts_isa isa = cts_cpu_isa();
    if (k == CTS_GEMM_AVX512 && isa < CTS_ISA_AVX512) k = CTS_GEMM_AVX2;
    if ((k == CTS_GEMM_AVX2 || k == CTS_GEMM_AVX2_WIDE) && isa < CTS_ISA_AVX2) k = CTS_GEMM_SCALAR;
    *kind = k;
    switch (k) {
    case CTS_GEMM_AVX512: *mr = 14, *nr = 32; return avx512_dtile;
    case CTS_GEMM_AVX2: *mr = 6, *nr = 16; return avx2_dtile;
    case CTS_GEMM_AVX2_WIDE: *mr = 14, *nr = 32; return wide_dtile;
    default: break;
    }
#endif
    *kind = CTS_GEMM_SCALAR;
    *mr = SC_MR;
    *nr = SC_NR;
    return scalar_dtile;
}

/* ------------------------------------------------------------------------ */
/* packing                                                                   */

bool cts_conv_direct_suits(int64_t K, int64_t Cg, int64_t kh, int64_t kw, int64_t G) {
    if (K <= 0 || Cg <= 0 || kh <= 0 || kw <= 0 || G <= 0 || K % G) return false;
    if (kh * kw == 1) return false;            /* a GEMM on the input */
    if (G > 1 && (Cg == 1 || K / G < 8)) return false; /* depthwise / narrow groups */
    return true;
}

cts_conv_packed *cts_conv_pack(cts_gemm_kernel kind, const float *w, int64_t K, int64_t Cg, int64_t kh, int64_t kw,
                               int64_t G, cts_err *err) {
    cts_conv_packed *p = calloc(1, sizeof *p);
    if (!p) {
        cts_err_oom(err, "packed convolution weight", sizeof *p);
        return NULL;
    }
    dtile_for(&kind, &p->mr, &p->nr);
    p->kind = kind;
    p->K = K, p->Cg = Cg, p->kh = kh, p->kw = kw, p->G = G;
    p->Kg = K / G;
    p->KB = (p->Kg + p->nr - 1) / p->nr;
    int64_t taps = kh * kw, NR = p->nr;
    size_t n = (size_t)(G * p->KB * taps * Cg * NR);
    p->bytes = (n * sizeof(float) + DC_ALIGN - 1) / DC_ALIGN * DC_ALIGN;
    p->data = aligned_alloc(DC_ALIGN, p->bytes ? p->bytes : DC_ALIGN);
    if (!p->data) {
        cts_err_oom(err, "packed convolution weight", p->bytes);
        free(p);
        return NULL;
    }
    /* one block (NR output channels, all taps and channels: L2-sized) at a
     * time, each source filter read in order */
    int64_t blk = taps * Cg * NR;
    for (int64_t g = 0; g < G; g++)
        for (int64_t kb = 0; kb < p->KB; kb++) {
            float *d = p->data + (g * p->KB + kb) * blk;
            int64_t nj = p->Kg - kb * NR < NR ? p->Kg - kb * NR : NR;
            if (nj < NR) memset(d, 0, (size_t)blk * sizeof(float));
            for (int64_t j = 0; j < nj; j++) {
                const float *src = w + (g * p->Kg + kb * NR + j) * Cg * taps;
                for (int64_t c = 0; c < Cg; c++)
                    for (int64_t t = 0; t < taps; t++) d[(t * Cg + c) * NR + j] = src[c * taps + t];
            }
        }
    return p;
}

void cts_conv_packed_free(cts_conv_packed *p) {
    if (!p) return;
    free(p->data);
    free(p);
}

static atomic_llong pack_count;

static void packed_free_fn(void *p) { cts_conv_packed_free(p); }

const cts_conv_packed *cts_conv_cached_weight(const ct_tensor *w, int64_t G, bool create) {
    if (!w || w->dtype != CT_FLOAT32 || w->ndim != 4 || !ct_is_contiguous(w) || G <= 0) return NULL;
    int64_t K = w->sizes[0], Cg = w->sizes[1], kh = w->sizes[2], kw = w->sizes[3];
    if (!cts_conv_direct_suits(K, Cg, kh, kw, G)) return NULL;
    cts_gemm_kernel kind = CTS_GEMM_AUTO;
    int mr, nr;
    dtile_for(&kind, &mr, &nr);
    ct_storage *s = w->storage;
    uint64_t key[CT_AUX_KEY] = {0x637473636f6e7657ull /* "ctsconvW" */,
                                (uint64_t)w->offset,
                                (uint64_t)K,
                                (uint64_t)Cg,
                                (uint64_t)kh,
                                (uint64_t)kw,
                                (uint64_t)G,
                                (uint64_t)kind};
    uint64_t ver = ct_storage_version(s);
    const cts_conv_packed *pk = ct_storage_aux_find(s, key, ver);
    if (pk || !create) return pk;
    cts_err e = {0};
    cts_conv_packed *np = cts_conv_pack(kind, ct_data(w), K, Cg, kh, kw, G, &e);
    if (!np) return NULL; /* out of memory: the caller takes another algorithm */
    atomic_fetch_add_explicit(&pack_count, 1, memory_order_relaxed);
    void *won = ct_storage_aux_add(s, key, ver, np, packed_free_fn);
    if (!won) {
        cts_conv_packed_free(np); /* cache full */
        return NULL;
    }
    return won;
}

int64_t cts_conv_cache_packings(void) { return atomic_load_explicit(&pack_count, memory_order_relaxed); }

/* ------------------------------------------------------------------------ */
/* driver                                                                    */

typedef struct dconv_job {
    const conv_prob *p;
    const cts_conv_packed *pk;
    dtile_fn tile;
    const float *x;  /* this image, NCHW */
    float *xp;       /* [Hp, Wp, C] */
    int64_t Hp, Wp;
    const int64_t *toff;
    int64_t taps, run; /* tap offsets, channels (floats) read at each tap */
    const float *bias;
    const conv_epi *epi; /* NULL: none */
    const float *res;    /* this image's residual, or NULL */
    float *y;        /* this image, NCHW */
} dconv_job;

/* Row r of the padded channels-last copy. */
static void pad_row(void *ctx, int64_t r, int thread) {
    (void)thread;
    const dconv_job *j = ctx;
    const conv_prob *p = j->p;
    int64_t C = p->C, Wp = j->Wp;
    float *d = j->xp + r * Wp * C;
    int64_t ih = r - p->ph;
    if (ih < 0 || ih >= p->H) {
        memset(d, 0, sizeof(float) * (size_t)(Wp * C));
        return;
    }
    /* columns [pw, pw + wn) come from the input, the rest is zero */
    int64_t pw = min64(p->pw, Wp), wn = min64(p->W, Wp - pw);
    if (wn < 0) wn = 0;
    if (pw) memset(d, 0, sizeof(float) * (size_t)(pw * C));
    if (pw + wn < Wp) memset(d + (pw + wn) * C, 0, sizeof(float) * (size_t)((Wp - pw - wn) * C));
    const float *src = j->x + ih * p->W;
    float *dst = d + pw * C;
    int64_t HW = p->H * p->W;
    /* eight channels at a time: eight input rows read in step */
    int64_t c = 0;
    for (; c + 8 <= C; c += 8) {
        const float *s0 = src + c * HW;
        for (int64_t iw = 0; iw < wn; iw++) {
            float *o = dst + iw * C + c;
            for (int q = 0; q < 8; q++) o[q] = s0[q * HW + iw];
        }
    }
    for (; c < C; c++) {
        const float *s0 = src + c * HW;
        for (int64_t iw = 0; iw < wn; iw++) dst[iw * C + c] = s0[iw];
    }
}

#define DC_CHUNK 16         /* tiles per task */
#define DC_L1_FLOATS 6144    /* the weights of one channel block (24 KiB) stay in L1 */

/* DC_CHUNK tiles of MR output pixels (flattened oh*OW + ow, so small
 * outputs do not end every row in a narrow tile) of one channel block of
 * one group.  Input channels go in blocks whose weights (all taps) fit in
 * L1, each block over every tile of the chunk, the partial sums kept in
 * `acc` between blocks. */
static void dconv_chunk(void *ctx, int64_t task, int thread) {
    (void)thread;
    const dconv_job *j = ctx;
    const conv_prob *p = j->p;
    const cts_conv_packed *pk = j->pk;
    int64_t OHW = p->OH * p->OW, C = p->C, Cg = pk->Cg, Kg = pk->Kg, NR = pk->nr, MR = pk->mr;
    int64_t nchunk = (OHW + MR * DC_CHUNK - 1) / (MR * DC_CHUNK);
    int64_t ch = task % nchunk, kb = (task / nchunk) % pk->KB, g = task / (nchunk * pk->KB);
    int64_t taps = j->taps, run = j->run;
    const float *w = pk->data + (g * pk->KB + kb) * pk->kh * pk->kw * Cg * NR;
    int64_t nj = min64(NR, Kg - kb * NR), oc0 = g * Kg + kb * NR;
    int64_t cb = DC_L1_FLOATS / (taps * NR);
    if (cb < 8) cb = 8;
    int64_t nblk = (run + cb - 1) / cb;
    cb = (run + nblk - 1) / nblk; /* even blocks */
    float acc[DC_CHUNK][DC_MAX_MR * DC_MAX_NR] __attribute__((aligned(64)));
    const float *px[DC_CHUNK][DC_MAX_MR];
    int64_t qa = ch * MR * DC_CHUNK, q1 = min64(OHW, qa + MR * DC_CHUNK);
    int ntile = (int)((q1 - qa + MR - 1) / MR);
    int64_t oh = qa / p->OW, ow = qa % p->OW;
    const float *xrow = j->xp + (oh * p->sh * j->Wp) * C + g * Cg;
    for (int64_t q = qa; q < q1; q++) {
        px[(q - qa) / MR][(q - qa) % MR] = xrow + ow * p->sw * C;
        if (++ow == p->OW) {
            ow = 0;
            xrow += p->sh * j->Wp * C;
        }
    }
    for (int64_t c0 = 0; c0 < run; c0 += cb) {
        int64_t cn = min64(cb, run - c0);
        for (int ti = 0; ti < ntile; ti++) {
            int mr = (int)min64(MR, q1 - qa - ti * MR);
            const float *pc[DC_MAX_MR];
            for (int r = 0; r < mr; r++) pc[r] = px[ti][r] + c0;
            j->tile(mr, pc, j->toff, taps, cn, w + c0 * NR, run * NR, acc[ti], c0 > 0);
        }
    }
    /* each output channel's run of pixels in one go */
    for (int64_t jj = 0; jj < nj; jj++) {
        float b = j->bias ? j->bias[oc0 + jj] : 0.0f;
        float *yo = j->y + (oc0 + jj) * OHW + qa;
        const float *ro = j->res ? j->res + (oc0 + jj) * OHW + qa : NULL;
        float *run0 = yo;
        for (int ti = 0; ti < ntile; ti++, yo += MR) {
            int mr = (int)min64(MR, q1 - qa - ti * MR);
            const float *a = acc[ti] + jj;
            if (!j->epi) {
                for (int r = 0; r < mr; r++) yo[r] = a[r * NR] + b;
                continue;
            }
            for (int r = 0; r < mr; r++) yo[r] = conv_epi_apply(j->epi, a[r * NR] + b, ro ? ro + ti * MR + r : NULL);
        }
        if (j->epi && j->epi->act) conv_epi_act(j->epi, run0, q1 - qa);
    }
}

int cts_conv_direct(const conv_prob *p, const cts_conv_packed *pk, const float *x, const float *bias,
                    const conv_epi *epi, float *y, cts_pool *pool, cts_err *err) {
    if (!pk || pk->K != p->K || pk->G != p->G || pk->Cg * p->G != p->C || pk->kh != p->kh || pk->kw != p->kw)
        return cts_err_set(err, "direct convolution: the packed weight does not match the problem");
    cts_gemm_kernel kind = pk->kind;
    int mr, nr;
    dtile_fn tile = dtile_for(&kind, &mr, &nr);
    if (kind != pk->kind || mr != pk->mr || nr != pk->nr)
        return cts_err_set(err, "direct convolution: the weight was packed for another kernel");
    int64_t taps = p->kh * p->kw;
    int64_t Hp = (p->OH - 1) * p->sh + (p->kh - 1) * p->dh + 1;
    int64_t Wp = (p->OW - 1) * p->sw + (p->kw - 1) * p->dw + 1;
    size_t nxp = (size_t)(Hp * Wp * p->C);
    int64_t *toff = malloc((size_t)taps * sizeof *toff);
    int xcls;
    float *xp = ct_scratch_alloc(nxp * sizeof(float), &xcls);
    if (!toff || !xp) {
        free(toff);
        ct_scratch_free(xp, xcls);
        return cts_err_oom(err, "direct convolution buffer", nxp * sizeof(float));
    }
    /* Without groups and dilation along W, the kw taps of a kernel row read
     * kw*C consecutive floats (and their packed weights are consecutive):
     * one run per kernel row instead of kw short ones. */
    bool rows = p->G == 1 && p->dw == 1;
    int64_t ntoff = rows ? p->kh : taps, run = rows ? p->kw * p->C : pk->Cg;
    for (int64_t ki = 0; ki < p->kh; ki++)
        for (int64_t kj = 0; kj < (rows ? 1 : p->kw); kj++)
            toff[ki * (rows ? 1 : p->kw) + kj] = (ki * p->dh * Wp + kj * p->dw) * p->C;
    double flops = 2.0 * (double)(p->K * p->OH * p->OW) * (double)(pk->Cg * taps);
    cts_pool *tp = flops < CTS_POOL_MIN_FLOPS ? NULL : pool;
    for (int64_t n = 0; n < p->N; n++) {
        int64_t ny = n * p->K * p->OH * p->OW;
        dconv_job j = {p,    pk,   tile, x + n * p->C * p->H * p->W, xp, Hp, Wp, toff, ntoff,
                       run,  bias, epi,  epi && epi->res ? epi->res + ny : NULL,   y + ny};
        cts_pool_parallel_for(nxp < 65536 ? NULL : tp, Hp, pad_row, &j);
        int64_t nchunk = (p->OH * p->OW + pk->mr * DC_CHUNK - 1) / (pk->mr * DC_CHUNK);
        cts_pool_parallel_for(tp, p->G * pk->KB * nchunk, dconv_chunk, &j);
    }
    free(toff);
    ct_scratch_free(xp, xcls);
    return 0;
}
