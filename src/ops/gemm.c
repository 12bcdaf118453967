/* gemm.c - SGEMM (packed, register-tiled, runtime-dispatched) and the
 * simple f64 / i64 products.
 *
 * Loop nest (BLIS order), for one block of C [m0,m1) x [n0,n1):
 *
 *   for jc in N step NC                      B block KC x NC  (L3)
 *     for pc in K step KC                    pack B -> KC x NR panels (or use prepacked)
 *       for ic in M step MC                  pack A -> MR x KC panels  (L2), or read A in place
 *         for jr in NC step NR               one B micro-panel          (L1)
 *           for ir in MC step MR             microkernel: MR x NR tile of C in registers
 *
 * A is read in place (no packing) unless it is transposed, broadcast, or has
 * a row stride that is a multiple of 4 KiB (its rows would share L1 sets):
 * for skinny N, packing A cost as much as the arithmetic.  B is always
 * packed (its rows are long-strided) unless prepacked.  Small M takes its own
 * paths, where B is read once and has nothing to amortise packing over:
 *   - M <= 4, B row-major:    axpy form, B's rows streamed (gemvn_*);
 *   - M <= 4, B transposed:   dot products against B's rows (gemvt_*), the
 *                             shape of linear at batch 1 with a plain weight;
 *   - M == 1, B prepacked:    four panels streamed side by side (*_row4).
 *
 * The microkernel is written once (UK_* macros) over a small vector-op
 * vocabulary (V_* macros) and instantiated for AVX2 (6x16 tile, 8-lane
 * vectors), AVX-512 (14x32, 16 lanes) and "AVX2 wide" (14x32 with each
 * 16-lane vector emulated by two AVX2 registers, which lets machines without
 * AVX-512 test the AVX-512 blocking).  Each instantiation carries its own
 * __attribute__((target)), so the file builds without -march flags.  Row
 * edges (mr < MR) use a tile specialised for mr rows; column edges (nr < NR)
 * compute a full tile (the packed B panel is zero-padded) into a buffer and
 * store the valid part with the scalar epilogue.
 *
 * Packed layouts (float, 64-byte aligned):
 *   A panel:  a[k*MR + r]     r < mr, k < kc   (panel of MR rows, K block)
 *   B panel:  b[k*NR + j]     j < NR, k < kc   (columns past N are zero)
 *   prepacked B: K block starting at pc begins at data + pc*npad; its panel p
 *                at + p*NR*kc (npad = N rounded up to NR).
 */
#include "gemm.h"

#include "../tensor/block_cache.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GEMM_X86 1
#endif

#define GEMM_ALIGN 64

/* ------------------------------------------------------------------------ */
/* configuration                                                             */

typedef struct gemm_epi {
    float alpha, beta;
    const float *bias_n; /* at the tile's first column, or NULL */
    const float *bias_m; /* at the tile's first row, or NULL */
    bool first, last, clamp;
    float lo, hi;
} gemm_epi;

/* a: a packed A panel (ars == 0: a[k*MR + r]) or A read in place
 * (a[r*ars + k]); b: a packed B panel or B in place, row stride ldb. */
typedef void (*ukernel_fn)(int mr, int nr, int64_t kc, const float *a, int64_t ars, const float *b, int64_t ldb,
                           float *c, int64_t ldc, const gemm_epi *e);

/* one row of C against up to 4 packed B panels; see DEFINE_UKERNEL */
typedef void (*row4_fn)(int np, int64_t kc, const float *a, int64_t as, const float *b, int64_t ps, float *out);

typedef struct gemm_cfg {
    cts_gemm_kernel kind;
    int mr, nr;
    int64_t kc, mc, nc;
    ukernel_fn kernel;
    row4_fn row4; /* NULL: single rows use `kernel` */
} gemm_cfg;

struct cts_gemm_packed {
    cts_gemm_kernel kind; /* resolved: never AUTO */
    int64_t k, n, npad;
    size_t bytes;
    float *data;
};

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

/* ------------------------------------------------------------------------ */
/* scalar epilogue and portable kernel                                        */

/* Stores an mr x nr block t (row stride ldt) into C through the epilogue. */
static void epi_store_scalar(int mr, int nr, const float *t, int64_t ldt, float *c, int64_t ldc, const gemm_epi *e) {
    for (int r = 0; r < mr; r++) {
        float *cr = c + (int64_t)r * ldc;
        const float *tr = t + (int64_t)r * ldt;
        for (int j = 0; j < nr; j++) {
            float x = tr[j] * e->alpha;
            if (e->first) {
                if (e->beta != 0.0f) x += e->beta * cr[j];
            } else {
                x += cr[j];
            }
            if (e->last) {
                if (e->bias_n) x += e->bias_n[j];
                if (e->bias_m) x += e->bias_m[r];
                if (e->clamp) { /* NaN stays NaN, as torch.clamp */
                    if (x < e->lo) x = e->lo;
                    if (x > e->hi) x = e->hi;
                }
            }
            cr[j] = x;
        }
    }
}

#define SC_MR 4
#define SC_NR 16

static void scalar_kernel(int mr, int nr, int64_t kc, const float *a, int64_t ars, const float *b, int64_t ldb,
                          float *c, int64_t ldc, const gemm_epi *e) {
    float acc[SC_MR][SC_NR];
    memset(acc, 0, sizeof acc);
    int64_t rs = ars ? ars : 1, ks = ars ? 1 : SC_MR;
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = b + k * ldb;
        for (int r = 0; r < mr; r++) {
            float ar = a[k * ks + r * rs];
            for (int j = 0; j < SC_NR; j++) acc[r][j] += ar * bk[j];
        }
    }
    epi_store_scalar(mr, nr, &acc[0][0], SC_NR, c, ldc, e);
}

/* ------------------------------------------------------------------------ */
/* SIMD microkernel template                                                 */

#ifdef GEMM_X86

#define UK_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)

#define UK_DECL(r) V_T acc##r##_0 = V_ZERO(), acc##r##_1 = V_ZERO();
#define UK_FMA(r)                                     \
    if (MRc > r) {                                    \
        V_T av = V_BCAST(a + r);                      \
        acc##r##_0 = V_FMA(av, b0, acc##r##_0);       \
        acc##r##_1 = V_FMA(av, b1, acc##r##_1);       \
    }
#define UK_EPI1(r, v)                                                                     \
    {                                                                                     \
        float *cp = c + (int64_t)(r) * ldc + (v) * V_W;                                   \
        V_T x = acc##r##_##v;                                                             \
        if (e->alpha != 1.0f) x = V_MUL(x, V_SET1(e->alpha));                             \
        if (!e->first) x = V_ADD(x, V_LOAD(cp));                                          \
        else if (e->beta != 0.0f) x = V_FMA(V_SET1(e->beta), V_LOAD(cp), x);              \
        if (e->last) {                                                                    \
            if (e->bias_n) x = V_ADD(x, V_LOAD(e->bias_n + (v) * V_W));                   \
            if (e->bias_m) x = V_ADD(x, V_SET1(e->bias_m[r]));                            \
            if (e->clamp) x = V_MIN(V_SET1(e->hi), V_MAX(V_SET1(e->lo), x)); /* NaN stays */ \
        }                                                                                 \
        V_STORE(cp, x);                                                                   \
    }
#define UK_EPI(r)        \
    if (MRc > r) {       \
        UK_EPI1(r, 0)    \
        UK_EPI1(r, 1)    \
    }
#define UK_PREFETCH_C(r)                                                        \
    if (MRc > r) {                                                               \
        _mm_prefetch((const char *)(c + (int64_t)(r) * ldc), _MM_HINT_T0);      \
        _mm_prefetch((const char *)(c + (int64_t)(r) * ldc + 2 * V_W - 1), _MM_HINT_T0); \
    }
#define UK_RAW(r)                                              \
    if (MRc > r) {                                             \
        V_STORE(tmp + (r) * 2 * V_W, acc##r##_0);              \
        V_STORE(tmp + (r) * 2 * V_W + V_W, acc##r##_1);        \
    }

#define UK_APTR(r) const float *ap##r = a + (MRc > r ? r : 0) * ars;
#define UK_FMA_S(r)                                   \
    if (MRc > r) {                                    \
        V_T av = V_BCAST(ap##r + k);                  \
        acc##r##_0 = V_FMA(av, b0, acc##r##_0);       \
        acc##r##_1 = V_FMA(av, b1, acc##r##_1);       \
    }

/* NAME##_tile: MRc (a constant after inlining) rows of C, 2*V_W columns.
 * ars == 0: packed A; else A in place with row stride ars.
 * tmp == NULL: full tile, epilogue into C; else raw sums into tmp. */
#define DEFINE_UKERNEL(NAME, TGT, MRMAX)                                                                   \
    static inline __attribute__((always_inline, target(TGT))) void NAME##_tile(                           \
        const int MRc, int64_t kc, const float *a, int64_t ars, const float *b, int64_t ldb, float *c,     \
        int64_t ldc, const gemm_epi *e, float *tmp) {                                                      \
        UK_ROWS(UK_DECL)                                                                                   \
        if (!tmp) { UK_ROWS(UK_PREFETCH_C) }                                                               \
        if (MRc == 1) {                                                                                    \
            /* one row: four partial sums per vector hide the FMA latency */                              \
            const int64_t as = ars ? 1 : (MRMAX);                                                          \
            V_T p0 = V_ZERO(), p1 = V_ZERO(), q0 = V_ZERO(), q1 = V_ZERO();                                \
            V_T r0 = V_ZERO(), r1 = V_ZERO(), s0 = V_ZERO(), s1 = V_ZERO();                                \
            int64_t k = 0;                                                                                 \
            for (; k + 4 <= kc; k += 4) {                                                                  \
                V_T x0 = V_BCAST(a + k * as), x1 = V_BCAST(a + (k + 1) * as);                              \
                V_T x2 = V_BCAST(a + (k + 2) * as), x3 = V_BCAST(a + (k + 3) * as);                        \
                p0 = V_FMA(x0, V_LOAD(b), p0);                                                             \
                p1 = V_FMA(x0, V_LOAD(b + V_W), p1);                                                       \
                q0 = V_FMA(x1, V_LOAD(b + ldb), q0);                                                       \
                q1 = V_FMA(x1, V_LOAD(b + ldb + V_W), q1);                                                 \
                r0 = V_FMA(x2, V_LOAD(b + 2 * ldb), r0);                                                   \
                r1 = V_FMA(x2, V_LOAD(b + 2 * ldb + V_W), r1);                                             \
                s0 = V_FMA(x3, V_LOAD(b + 3 * ldb), s0);                                                   \
                s1 = V_FMA(x3, V_LOAD(b + 3 * ldb + V_W), s1);                                             \
                b += 4 * ldb;                                                                              \
            }                                                                                              \
            for (; k < kc; k++, b += ldb) {                                                                \
                V_T x0 = V_BCAST(a + k * as);                                                              \
                p0 = V_FMA(x0, V_LOAD(b), p0);                                                             \
                p1 = V_FMA(x0, V_LOAD(b + V_W), p1);                                                       \
            }                                                                                              \
            acc0_0 = V_ADD(V_ADD(p0, q0), V_ADD(r0, s0));                                                  \
            acc0_1 = V_ADD(V_ADD(p1, q1), V_ADD(r1, s1));                                                  \
        } else if (ars == 0) {                                                                             \
            for (int64_t k = 0; k < kc; k++) {                                                             \
                V_T b0 = V_LOAD(b), b1 = V_LOAD(b + V_W);                                                  \
                UK_ROWS(UK_FMA)                                                                            \
                a += (MRMAX);                                                                              \
                b += ldb;                                                                                  \
            }                                                                                              \
        } else {                                                                                           \
            UK_ROWS(UK_APTR)                                                                               \
            for (int64_t k = 0; k < kc; k++) {                                                             \
                V_T b0 = V_LOAD(b), b1 = V_LOAD(b + V_W);                                                  \
                UK_ROWS(UK_FMA_S)                                                                          \
                b += ldb;                                                                                  \
            }                                                                                              \
        }                                                                                                  \
        if (tmp) {                                                                                         \
            UK_ROWS(UK_RAW)                                                                                \
        } else {                                                                                           \
            UK_ROWS(UK_EPI)                                                                                \
        }                                                                                                  \
    }                                                                                                      \
    __attribute__((target(TGT))) static void NAME##_kernel(int mr, int nr, int64_t kc, const float *a,     \
                                                           int64_t ars, const float *b, int64_t ldb,       \
                                                           float *c, int64_t ldc, const gemm_epi *e) {     \
        float tbuf[(MRMAX) * 2 * V_W] __attribute__((aligned(64)));                                        \
        float *tmp = nr < 2 * V_W ? tbuf : NULL;                                                           \
        switch (mr) {                                                                                      \
        case 1: NAME##_tile(1, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 2: NAME##_tile(2, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 3: NAME##_tile(3, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 4: NAME##_tile(4, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 5: NAME##_tile(5, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 6: NAME##_tile(6, kc, a, ars, b, ldb, c, ldc, e, tmp); break;                                 \
        case 7: if ((MRMAX) >= 7) NAME##_tile(7, kc, a, ars, b, ldb, c, ldc, e, tmp); break;               \
        case 8: if ((MRMAX) >= 8) NAME##_tile(8, kc, a, ars, b, ldb, c, ldc, e, tmp); break;               \
        case 9: if ((MRMAX) >= 9) NAME##_tile(9, kc, a, ars, b, ldb, c, ldc, e, tmp); break;               \
        case 10: if ((MRMAX) >= 10) NAME##_tile(10, kc, a, ars, b, ldb, c, ldc, e, tmp); break;            \
        case 11: if ((MRMAX) >= 11) NAME##_tile(11, kc, a, ars, b, ldb, c, ldc, e, tmp); break;            \
        case 12: if ((MRMAX) >= 12) NAME##_tile(12, kc, a, ars, b, ldb, c, ldc, e, tmp); break;            \
        case 13: if ((MRMAX) >= 13) NAME##_tile(13, kc, a, ars, b, ldb, c, ldc, e, tmp); break;            \
        case 14: if ((MRMAX) >= 14) NAME##_tile(14, kc, a, ars, b, ldb, c, ldc, e, tmp); break;            \
        default: return;                                                                                   \
        }                                                                                                  \
        if (tmp) epi_store_scalar(mr, nr, tmp, 2 * V_W, c, ldc, e);                                        \
    }                                                                                                      \
    /* One row of C against np <= 4 packed B panels (panel stride ps): four                              \
     * independent streams and eight accumulator chains; raw sums to out. */                              \
    __attribute__((target(TGT))) static void NAME##_row4(int np, int64_t kc, const float *a, int64_t as,   \
                                                         const float *b, int64_t ps, float *out) {         \
        const float *b0 = b, *b1 = b + (np > 1 ? ps : 0), *b2 = b + (np > 2 ? 2 * ps : 0),                 \
                    *b3 = b + (np > 3 ? 3 * ps : 0);                                                       \
        V_T c00 = V_ZERO(), c01 = V_ZERO(), c10 = V_ZERO(), c11 = V_ZERO();                                \
        V_T c20 = V_ZERO(), c21 = V_ZERO(), c30 = V_ZERO(), c31 = V_ZERO();                                \
        for (int64_t k = 0; k < kc; k++) {                                                                 \
            V_T x = V_BCAST(a + k * as);                                                                   \
            int64_t o = k * 2 * V_W;                                                                       \
            c00 = V_FMA(x, V_LOAD(b0 + o), c00);                                                           \
            c01 = V_FMA(x, V_LOAD(b0 + o + V_W), c01);                                                     \
            c10 = V_FMA(x, V_LOAD(b1 + o), c10);                                                           \
            c11 = V_FMA(x, V_LOAD(b1 + o + V_W), c11);                                                     \
            c20 = V_FMA(x, V_LOAD(b2 + o), c20);                                                           \
            c21 = V_FMA(x, V_LOAD(b2 + o + V_W), c21);                                                     \
            c30 = V_FMA(x, V_LOAD(b3 + o), c30);                                                           \
            c31 = V_FMA(x, V_LOAD(b3 + o + V_W), c31);                                                     \
        }                                                                                                  \
        V_STORE(out, c00);                                                                                 \
        V_STORE(out + V_W, c01);                                                                           \
        V_STORE(out + 2 * V_W, c10);                                                                       \
        V_STORE(out + 3 * V_W, c11);                                                                       \
        V_STORE(out + 4 * V_W, c20);                                                                       \
        V_STORE(out + 5 * V_W, c21);                                                                       \
        V_STORE(out + 6 * V_W, c30);                                                                       \
        V_STORE(out + 7 * V_W, c31);                                                                       \
    }

/* --- AVX2 + FMA: 6 x 16 --- */
#define SIMD_V SIMD_V_AVX2
#include "simd_v.h"
DEFINE_UKERNEL(avx2, SIMD_V_TGT, 6)
#include "simd_v_end.h"

/* --- AVX-512: 14 x 32 --- */
#define SIMD_V SIMD_V_AVX512
#include "simd_v.h"
DEFINE_UKERNEL(avx512, SIMD_V_TGT, 14)
#include "simd_v_end.h"

/* --- AVX2 emulating the AVX-512 tile: 14 x 32 with 16-lane pairs --- */
#define SIMD_V SIMD_V_WIDE
#include "simd_v.h"
DEFINE_UKERNEL(wide, SIMD_V_TGT, 14)
#include "simd_v_end.h"

#endif /* GEMM_X86 */

/* Block sizes: the B micro-panel (KC x NR) stays in L1, the packed A block
 * (MC x KC) in L2, the packed B block (KC x NC) in L3. */
static const gemm_cfg CFG_SCALAR = {CTS_GEMM_SCALAR, SC_MR, SC_NR, 256, 128, 4096, scalar_kernel, NULL};
#ifdef GEMM_X86
static const gemm_cfg CFG_AVX2 = {CTS_GEMM_AVX2, 6, 16, 256, 144, 4096, avx2_kernel, avx2_row4};
static const gemm_cfg CFG_AVX512 = {CTS_GEMM_AVX512, 14, 32, 256, 168, 4096, avx512_kernel, avx512_row4};
static const gemm_cfg CFG_WIDE = {CTS_GEMM_AVX2_WIDE, 14, 32, 256, 168, 4096, wide_kernel, wide_row4};
#endif

cts_gemm_kernel cts_gemm_kernel_auto(void) {
#ifdef GEMM_X86
    switch (cts_cpu_isa()) {
    case CTS_ISA_AVX512: return CTS_GEMM_AVX512;
    case CTS_ISA_AVX2: return CTS_GEMM_AVX2;
    case CTS_ISA_SCALAR: break;
    }
#endif
    return CTS_GEMM_SCALAR;
}

/* The configuration for k, downgraded to what this process can run. */
static const gemm_cfg *cfg_for(cts_gemm_kernel k) {
#ifdef GEMM_X86
    cts_isa isa = cts_cpu_isa();
    if (k == CTS_GEMM_AUTO) k = cts_gemm_kernel_auto();
    if (k == CTS_GEMM_AVX512 && isa < CTS_ISA_AVX512) k = CTS_GEMM_AVX2;
    if ((k == CTS_GEMM_AVX2 || k == CTS_GEMM_AVX2_WIDE) && isa < CTS_ISA_AVX2) k = CTS_GEMM_SCALAR;
    switch (k) {
    case CTS_GEMM_AVX512: return &CFG_AVX512;
    case CTS_GEMM_AVX2: return &CFG_AVX2;
    case CTS_GEMM_AVX2_WIDE: return &CFG_WIDE;
    default: break;
    }
#else
    (void)k;
#endif
    return &CFG_SCALAR;
}

const char *cts_gemm_kernel_name(cts_gemm_kernel k) {
    switch (k) {
    case CTS_GEMM_AUTO: return "auto";
    case CTS_GEMM_SCALAR: return "scalar";
    case CTS_GEMM_AVX2: return "avx2";
    case CTS_GEMM_AVX512: return "avx512";
    case CTS_GEMM_AVX2_WIDE: return "avx2-wide";
    }
    return "unknown";
}

void cts_gemm_tile(cts_gemm_kernel k, int *mr, int *nr) {
    const gemm_cfg *cf = cfg_for(k);
    *mr = cf->mr;
    *nr = cf->nr;
}

/* ------------------------------------------------------------------------ */
/* packing                                                                   */

/* Packs op(B)[pc:pc+kc, jc:jc+nc] into NR-column panels, zero-padded. */
static void pack_b(const float *B, int64_t ldb, bool trans, int64_t pc, int64_t kc, int64_t jc, int64_t nc, int NR,
                   float *dst) {
    for (int64_t p = 0; p * NR < nc; p++) {
        int64_t j0 = jc + p * NR;
        int w = (int)min64(NR, jc + nc - j0);
        float *d = dst + p * NR * kc;
        if (!trans) {
            const float *s = B + pc * ldb + j0;
            if (w == NR && NR == 16) {
                for (int64_t k = 0; k < kc; k++, s += ldb, d += 16) memcpy(d, s, 16 * sizeof(float));
            } else if (w == NR && NR == 32) {
                for (int64_t k = 0; k < kc; k++, s += ldb, d += 32) memcpy(d, s, 32 * sizeof(float));
            } else {
                for (int64_t k = 0; k < kc; k++, s += ldb, d += NR) {
                    memcpy(d, s, (size_t)w * sizeof(float));
                    memset(d + w, 0, (size_t)(NR - w) * sizeof(float));
                }
            }
        } else {
            for (int jj = 0; jj < w; jj++) {
                const float *s = B + (j0 + jj) * ldb + pc;
                for (int64_t k = 0; k < kc; k++) d[k * NR + jj] = s[k];
            }
            if (w < NR)
                for (int64_t k = 0; k < kc; k++) memset(d + k * NR + w, 0, (size_t)(NR - w) * sizeof(float));
        }
    }
}

/* Packs op(A)[ic:ic+mc, pc:pc+kc] into MR-row panels (rows past mc unused). */
static void pack_a(const float *A, int64_t lda, bool trans, int64_t ic, int64_t mc, int64_t pc, int64_t kc, int MR,
                   float *dst) {
    for (int64_t ir = 0; ir < mc; ir += MR) {
        int h = (int)min64(MR, mc - ir);
        float *d = dst + ir * kc;
        if (!trans) {
            for (int r = 0; r < h; r++) {
                const float *s = A + (ic + ir + r) * lda + pc;
                for (int64_t k = 0; k < kc; k++) d[k * MR + r] = s[k];
            }
        } else {
            const float *s = A + pc * lda + ic + ir;
            for (int64_t k = 0; k < kc; k++, s += lda) memcpy(d + k * MR, s, (size_t)h * sizeof(float));
        }
    }
}

/* ------------------------------------------------------------------------ */
/* driver                                                                    */

/* One item's block C[m0:m1, n0:n1]; n0 is a multiple of NR.
 * a_inplace: the microkernel reads A's rows where they are (no A packing).
 * B is read in place when the block has a single row panel (no reuse that
 * would pay for packing), except for the zero-padded last column panel. */
static void gemm_block(const gemm_cfg *cf, const cts_sgemm_args *g, const float *A, const float *B, float *C,
                       int64_t m0, int64_t m1, int64_t n0, int64_t n1, float *apack, float *bpack, bool a_inplace) {
    const int MR = cf->mr, NR = cf->nr;
    const int64_t K = g->K;
    const cts_gemm_packed *pk = g->packed_b;
    bool b_inplace = !pk && !g->trans_b && m1 - m0 <= MR;
    const int64_t KC = cf->kc;
    gemm_epi e;
    e.alpha = g->alpha;
    e.beta = g->beta;
    e.clamp = g->clamp;
    e.lo = g->clamp_lo;
    e.hi = g->clamp_hi;
    for (int64_t jc = n0; jc < n1; jc += cf->nc) {
        int64_t nc = min64(cf->nc, n1 - jc);
        for (int64_t pc = 0; pc < K; pc += KC) {
            int64_t kc = min64(KC, K - pc);
            const float *bp = bpack;
            if (pk) bp = pk->data + pc * pk->npad + jc * kc;
            else if (!b_inplace) pack_b(B, g->ldb, g->trans_b, pc, kc, jc, nc, NR, bpack);
            e.first = pc == 0;
            e.last = pc + kc >= K;
            for (int64_t ic = m0; ic < m1; ic += cf->mc) {
                int64_t mc = min64(cf->mc, m1 - ic);
                const float *ap = apack;
                int64_t ars = 0, astep = kc;
                if (a_inplace) {
                    ap = A + ic * g->lda + pc;
                    ars = astep = g->lda;
                } else {
                    pack_a(A, g->lda, g->trans_a, ic, mc, pc, kc, MR, apack);
                }
                if (mc == 1 && !b_inplace && cf->row4) {
                    /* one row: four panels at a time, streamed side by side */
                    int64_t as = a_inplace ? 1 : MR;
                    e.bias_m = g->bias_m ? g->bias_m + ic : NULL;
                    for (int64_t jr = 0; jr < nc; jr += 4 * NR) {
                        int np = (int)min64(4, (nc - jr + NR - 1) / NR);
                        float out[4 * 64] __attribute__((aligned(64)));
                        cf->row4(np, kc, ap, as, bp + jr * kc, NR * kc, out);
                        for (int q = 0; q < np; q++) {
                            int64_t j = jr + q * NR;
                            e.bias_n = g->bias_n ? g->bias_n + jc + j : NULL;
                            epi_store_scalar(1, (int)min64(NR, nc - j), out + q * NR, NR, C + ic * g->ldc + jc + j,
                                             g->ldc, &e);
                        }
                    }
                    continue;
                }
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    int nr = (int)min64(NR, nc - jr);
                    e.bias_n = g->bias_n ? g->bias_n + jc + jr : NULL;
                    const float *bpj = bp + jr * kc;
                    int64_t ldbj = NR;
                    if (b_inplace) {
                        if (nr == NR) {
                            bpj = B + pc * g->ldb + jc + jr;
                            ldbj = g->ldb;
                        } else {
                            pack_b(B, g->ldb, false, pc, kc, jc + jr, nr, NR, bpack);
                            bpj = bpack;
                        }
                    }
                    float *cj = C + jc + jr;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        int mr = (int)min64(MR, mc - ir);
                        e.bias_m = g->bias_m ? g->bias_m + ic + ir : NULL;
                        cf->kernel(mr, nr, kc, ap + ir * astep, ars, bpj, ldbj, cj + (ic + ir) * g->ldc, g->ldc, &e);
                    }
                }
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* small M with B transposed: dot products                                  */

/* C[i, j] for i < M <= 4, j < jw <= 4: t[i][jj] = sum_k A[i*lda + k] *
 * W[jj*ldw + k].  Each row of W (a linear layer's weight) is read once,
 * which for M <= 4 beats packing it. */
#define GV_M 4
#define GV_J 4

static void gemvt_tile_scalar(int M, int jw, int64_t K, const float *A, int64_t lda, const float *W, int64_t ldw,
                              float t[GV_M][GV_J]) {
    for (int i = 0; i < M; i++)
        for (int jj = 0; jj < jw; jj++) {
            float s = 0;
            for (int64_t k = 0; k < K; k++) s += A[i * lda + k] * W[jj * ldw + k];
            t[i][jj] = s;
        }
}

#ifdef GEMM_X86
__attribute__((target("avx2,fma"))) static inline float hsum256(__m256 v) {
    __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    x = _mm_add_ps(x, _mm_movehl_ps(x, x));
    x = _mm_add_ss(x, _mm_movehdup_ps(x));
    return _mm_cvtss_f32(x);
}

static inline __attribute__((always_inline, target("avx2,fma"))) void gemvt_tile_avx2_m(
    const int M, int jw, int64_t K, const float *A, int64_t lda, const float *W, int64_t ldw, float t[GV_M][GV_J]) {
    __m256 acc[GV_M][GV_J];
    for (int i = 0; i < GV_M; i++)
        for (int jj = 0; jj < GV_J; jj++) acc[i][jj] = _mm256_setzero_ps();
    /* rows past jw alias row 0: computed, never stored */
    const float *w0 = W, *w1 = W + (jw > 1 ? ldw : 0), *w2 = W + (jw > 2 ? 2 * ldw : 0),
                *w3 = W + (jw > 3 ? 3 * ldw : 0);
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) {
        __m256 b0 = _mm256_loadu_ps(w0 + k), b1 = _mm256_loadu_ps(w1 + k), b2 = _mm256_loadu_ps(w2 + k),
               b3 = _mm256_loadu_ps(w3 + k);
        for (int i = 0; i < M; i++) {
            __m256 a = _mm256_loadu_ps(A + i * lda + k);
            acc[i][0] = _mm256_fmadd_ps(a, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(a, b1, acc[i][1]);
            acc[i][2] = _mm256_fmadd_ps(a, b2, acc[i][2]);
            acc[i][3] = _mm256_fmadd_ps(a, b3, acc[i][3]);
        }
    }
    for (int i = 0; i < M; i++)
        for (int jj = 0; jj < GV_J; jj++) {
            const float *wr = jj == 0 ? w0 : jj == 1 ? w1 : jj == 2 ? w2 : w3;
            float s = hsum256(acc[i][jj]);
            for (int64_t q = k; q < K; q++) s += A[i * lda + q] * wr[q];
            t[i][jj] = s;
        }
}

__attribute__((target("avx2,fma"))) static void gemvt_tile_avx2(int M, int jw, int64_t K, const float *A,
                                                               int64_t lda, const float *W, int64_t ldw,
                                                               float t[GV_M][GV_J]) {
    switch (M) {
    case 1: gemvt_tile_avx2_m(1, jw, K, A, lda, W, ldw, t); break;
    case 2: gemvt_tile_avx2_m(2, jw, K, A, lda, W, ldw, t); break;
    case 3: gemvt_tile_avx2_m(3, jw, K, A, lda, W, ldw, t); break;
    default: gemvt_tile_avx2_m(4, jw, K, A, lda, W, ldw, t); break;
    }
}
#endif

typedef struct gemvt_job {
    const cts_sgemm_args *g;
    const float *A; /* M x K row-major, row stride lda */
    int64_t lda;
    int64_t sa, sb, sc, ntask;
    bool avx2;
} gemvt_job;

static void gemvt_task(void *ctx, int64_t task, int thread) {
    (void)thread;
    const gemvt_job *j = ctx;
    const cts_sgemm_args *g = j->g;
    int64_t b = task / j->ntask, t = task % j->ntask;
    int64_t groups = (g->N + GV_J - 1) / GV_J;
    int64_t j0 = groups * t / j->ntask * GV_J, j1 = min64(groups * (t + 1) / j->ntask * GV_J, g->N);
    const float *A = j->A + b * j->sa, *B = g->B + b * j->sb;
    float *C = g->C + b * j->sc;
    gemm_epi e;
    e.alpha = g->alpha;
    e.beta = g->beta;
    e.clamp = g->clamp;
    e.lo = g->clamp_lo;
    e.hi = g->clamp_hi;
    e.first = e.last = true;
    e.bias_m = g->bias_m;
    for (int64_t jn = j0; jn < j1; jn += GV_J) {
        int jw = (int)min64(GV_J, j1 - jn);
        float tile[GV_M][GV_J];
#ifdef GEMM_X86
        if (j->avx2) gemvt_tile_avx2((int)g->M, jw, g->K, A, j->lda, B + jn * g->ldb, g->ldb, tile);
        else
#endif
            gemvt_tile_scalar((int)g->M, jw, g->K, A, j->lda, B + jn * g->ldb, g->ldb, tile);
        e.bias_n = g->bias_n ? g->bias_n + jn : NULL;
        epi_store_scalar((int)g->M, jw, &tile[0][0], GV_J, C + jn, g->ldc, &e);
    }
}

/* The dot-product path: M <= 4, B transposed and not prepacked. */
static int gemvt_run(const gemm_cfg *cf, const cts_sgemm_args *g, int64_t batch, int64_t sa, int64_t sb, int64_t sc,
                     int nt, cts_pool *pool, cts_err *err) {
    gemvt_job j;
    j.g = g;
    j.sb = sb;
    j.sc = sc;
    j.avx2 = cf->kind != CTS_GEMM_SCALAR;
    float *copy = NULL;
    if (g->trans_a) {
        /* make A's rows contiguous */
        size_t n = (size_t)(batch * g->M * g->K);
        if (!(copy = malloc(n * sizeof(float)))) return cts_err_oom(err, "sgemm operand copy", n * sizeof(float));
        for (int64_t b = 0; b < batch; b++)
            for (int64_t i = 0; i < g->M; i++)
                for (int64_t k = 0; k < g->K; k++) copy[(b * g->M + i) * g->K + k] = g->A[b * sa + k * g->lda + i];
        j.A = copy;
        j.lda = g->K;
        j.sa = g->M * g->K;
    } else {
        j.A = g->A;
        j.lda = g->lda;
        j.sa = sa;
    }
    int64_t groups = (g->N + GV_J - 1) / GV_J;
    j.ntask = nt > 1 ? min64(nt, groups) : 1;
    if (nt > 1) cts_pool_parallel_for(pool, batch * j.ntask, gemvt_task, &j);
    else
        for (int64_t t = 0; t < batch * j.ntask; t++) gemvt_task(&j, t, 0);
    free(copy);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* small M with B row-major: B's rows streamed once (axpy form)             */

#define GN_CHUNK 512 /* columns accumulated in L1 at a time */

/* y[0..w) += a0*x0 + a1*x1 + a2*x2 + a3*x3 */
static void axpy4_scalar(int64_t w, const float *a, const float *x0, const float *x1, const float *x2,
                         const float *x3, float *y) {
    for (int64_t j = 0; j < w; j++) y[j] += a[0] * x0[j] + a[1] * x1[j] + a[2] * x2[j] + a[3] * x3[j];
}

#ifdef GEMM_X86
__attribute__((target("avx2,fma"))) static void axpy4_avx2(int64_t w, const float *a, const float *x0,
                                                          const float *x1, const float *x2, const float *x3,
                                                          float *y) {
    __m256 a0 = _mm256_set1_ps(a[0]), a1 = _mm256_set1_ps(a[1]), a2 = _mm256_set1_ps(a[2]),
           a3 = _mm256_set1_ps(a[3]);
    int64_t j = 0;
    for (; j + 8 <= w; j += 8) {
        __m256 v = _mm256_fmadd_ps(a0, _mm256_loadu_ps(x0 + j), _mm256_loadu_ps(y + j));
        __m256 u = _mm256_mul_ps(a1, _mm256_loadu_ps(x1 + j));
        v = _mm256_fmadd_ps(a2, _mm256_loadu_ps(x2 + j), v);
        u = _mm256_fmadd_ps(a3, _mm256_loadu_ps(x3 + j), u);
        _mm256_storeu_ps(y + j, _mm256_add_ps(v, u));
    }
    for (; j < w; j++) y[j] += a[0] * x0[j] + a[1] * x1[j] + a[2] * x2[j] + a[3] * x3[j];
}
#endif

typedef struct gemvn_job {
    const cts_sgemm_args *g;
    int64_t sa, sb, sc, ntask;
    bool avx2;
} gemvn_job;

static void gemvn_task(void *ctx, int64_t task, int thread) {
    (void)thread;
    const gemvn_job *j = ctx;
    const cts_sgemm_args *g = j->g;
    int64_t b = task / j->ntask, t = task % j->ntask;
    int64_t chunks = (g->N + GN_CHUNK - 1) / GN_CHUNK;
    int64_t j0 = chunks * t / j->ntask * GN_CHUNK, j1 = min64(chunks * (t + 1) / j->ntask * GN_CHUNK, g->N);
    const float *A = g->A + b * j->sa, *B = g->B + b * j->sb;
    float *C = g->C + b * j->sc;
    float acc[GV_M][GN_CHUNK];
    static const float zeros[4] = {0, 0, 0, 0};
    gemm_epi e;
    e.alpha = g->alpha;
    e.beta = g->beta;
    e.clamp = g->clamp;
    e.lo = g->clamp_lo;
    e.hi = g->clamp_hi;
    e.first = e.last = true;
    e.bias_m = g->bias_m;
    for (int64_t jb = j0; jb < j1; jb += GN_CHUNK) {
        int64_t w = min64(GN_CHUNK, j1 - jb);
        for (int64_t i = 0; i < g->M; i++) memset(acc[i], 0, sizeof(float) * (size_t)w);
        for (int64_t k = 0; k < g->K; k += 4) {
            int kw = (int)min64(4, g->K - k);
            const float *x[4];
            for (int q = 0; q < 4; q++) x[q] = q < kw ? B + (k + q) * g->ldb + jb : B + k * g->ldb + jb;
            for (int64_t i = 0; i < g->M; i++) {
                float a[4];
                for (int q = 0; q < 4; q++)
                    a[q] = q >= kw ? zeros[q] : g->trans_a ? A[(k + q) * g->lda + i] : A[i * g->lda + k + q];
#ifdef GEMM_X86
                if (j->avx2) axpy4_avx2(w, a, x[0], x[1], x[2], x[3], acc[i]);
                else
#endif
                    axpy4_scalar(w, a, x[0], x[1], x[2], x[3], acc[i]);
            }
        }
        e.bias_n = g->bias_n ? g->bias_n + jb : NULL;
        epi_store_scalar((int)g->M, (int)w, &acc[0][0], GN_CHUNK, C + jb, g->ldc, &e);
    }
}

/* The streaming path: M <= 4, B row-major and not prepacked. */
static void gemvn_run(const gemm_cfg *cf, const cts_sgemm_args *g, int64_t batch, int64_t sa, int64_t sb, int64_t sc,
                      int nt, cts_pool *pool) {
    gemvn_job j = {g, sa, sb, sc, 1, cf->kind != CTS_GEMM_SCALAR};
    int64_t chunks = (g->N + GN_CHUNK - 1) / GN_CHUNK;
    j.ntask = nt > 1 ? min64(nt, chunks) : 1;
    if (nt > 1) cts_pool_parallel_for(pool, batch * j.ntask, gemvn_task, &j);
    else
        for (int64_t t = 0; t < batch * j.ntask; t++) gemvn_task(&j, t, 0);
}

/* K == 0: C = beta*C + biases, clamped. */
static void epilogue_only(const cts_sgemm_args *g, float *C) {
    for (int64_t i = 0; i < g->M; i++) {
        float *cr = C + i * g->ldc;
        for (int64_t j = 0; j < g->N; j++) {
            float x = g->beta != 0.0f ? g->beta * cr[j] : 0.0f;
            if (g->bias_n) x += g->bias_n[j];
            if (g->bias_m) x += g->bias_m[i];
            if (g->clamp) {
                if (x < g->clamp_lo) x = g->clamp_lo;
                if (x > g->clamp_hi) x = g->clamp_hi;
            }
            cr[j] = x;
        }
    }
}

typedef struct sgemm_job {
    const gemm_cfg *cf;
    const cts_sgemm_args *g;
    int64_t sa, sb, sc;
    int64_t ntask;    /* tasks per item */
    bool split_n;     /* split along N (else M) */
    bool a_inplace;   /* read A's rows in place */
    int64_t panels;   /* NR panels (split_n) or MR panels */
    float *scratch;
    size_t per_thread, asz;
} sgemm_job;

static void sgemm_task(void *ctx, int64_t task, int thread) {
    const sgemm_job *j = ctx;
    const cts_sgemm_args *g = j->g;
    int64_t b = task / j->ntask, t = task % j->ntask;
    float *apack = j->scratch + (size_t)thread * j->per_thread;
    float *bpack = apack + j->asz;
    int64_t lo = j->panels * t / j->ntask, hi = j->panels * (t + 1) / j->ntask;
    int64_t m0 = 0, m1 = g->M, n0 = 0, n1 = g->N;
    if (j->split_n) {
        n0 = lo * j->cf->nr;
        n1 = min64(hi * j->cf->nr, g->N);
    } else {
        m0 = lo * j->cf->mr;
        m1 = min64(hi * j->cf->mr, g->M);
    }
    if (m0 >= m1 || n0 >= n1) return;
    const float *A = g->A + b * j->sa;
    const float *B = g->B ? g->B + b * j->sb : NULL;
    float *C = g->C + b * j->sc;
    gemm_block(j->cf, g, A, B, C, m0, m1, n0, n1, apack, bpack, j->a_inplace);
}

int cts_sgemm_batched(const cts_sgemm_args *g, int64_t batch, int64_t stride_a, int64_t stride_b, int64_t stride_c,
                      cts_pool *pool, cts_err *err) {
    if (g->M < 0 || g->N < 0 || g->K < 0 || batch < 0)
        return cts_err_set(err, "sgemm: negative size (M=%lld, N=%lld, K=%lld, batch=%lld)", (long long)g->M,
                           (long long)g->N, (long long)g->K, (long long)batch);
    const cts_gemm_packed *pk = g->packed_b;
    if (pk && (pk->k != g->K || pk->n != g->N))
        return cts_err_set(err, "sgemm: packed B is %lldx%lld but the product needs %lldx%lld", (long long)pk->k,
                           (long long)pk->n, (long long)g->K, (long long)g->N);
    if (!pk && !g->B && g->K > 0) return cts_err_set(err, "sgemm: no B operand");
    if (g->M == 0 || g->N == 0 || batch == 0) return 0;
    if (g->K == 0) {
        for (int64_t b = 0; b < batch; b++) epilogue_only(g, g->C + b * stride_c);
        return 0;
    }
    const gemm_cfg *cf = pk ? cfg_for(pk->kind) : cfg_for(g->kernel);

    int nt = cts_pool_nthreads(pool);
    double flops = 2.0 * (double)g->M * (double)g->N * (double)g->K;
    if (flops * (double)batch < CTS_POOL_MIN_FLOPS) nt = 1;
    if (!pk && g->M <= GV_M) {
        if (g->trans_b) return gemvt_run(cf, g, batch, stride_a, stride_b, stride_c, nt, pool, err);
        gemvn_run(cf, g, batch, stride_a, stride_b, stride_c, nt, pool);
        return 0;
    }

    sgemm_job j;
    j.cf = cf;
    j.g = g;
    j.sa = stride_a;
    j.sb = stride_b;
    j.sc = stride_c;
    int64_t np = (g->N + cf->nr - 1) / cf->nr, mp = (g->M + cf->mr - 1) / cf->mr;
    /* A in place unless transposed, broadcast (lda 0) or with a row stride
     * of a multiple of 4 KiB, where its rows would share L1 sets */
    j.a_inplace = !g->trans_a && g->lda > 0 && g->lda % 1024 != 0;
    j.ntask = 1;
    j.split_n = true;
    j.panels = np;
    bool over_batch = batch >= 4 * (int64_t)nt || (batch >= nt && batch % nt == 0);
    if (nt > 1 && !over_batch) {
        bool can_n = np >= nt, can_m = mp >= nt;
        if (can_n && can_m) j.split_n = pk ? false : g->M < g->N;
        else if (can_n || can_m) j.split_n = can_n;
        else j.split_n = np >= mp;
        j.panels = j.split_n ? np : mp;
        j.ntask = j.panels < nt ? j.panels : nt;
    }
    /* scratch per thread: one A block and (unless prepacked) one B block */
    int64_t kcm = min64(cf->kc, g->K);
    int64_t mcm = min64(cf->mc, round_up(g->M, cf->mr));
    int64_t ncm = min64(cf->nc, round_up(g->N, cf->nr));
    j.asz = (size_t)round_up(mcm * kcm, GEMM_ALIGN / (int64_t)sizeof(float));
    size_t bsz = pk ? 0 : (size_t)round_up(kcm * ncm, GEMM_ALIGN / (int64_t)sizeof(float));
    j.per_thread = j.asz + bsz;
    int nthreads_used = nt;
    size_t total = j.per_thread * (size_t)nthreads_used * sizeof(float);
    int scls;
    j.scratch = ct_scratch_alloc(total, &scls); /* per call: through the block cache when large */
    if (!j.scratch) return cts_err_oom(err, "sgemm packing buffers", total);
    int64_t ntasks = batch * j.ntask;
    if (nt == 1) {
        for (int64_t t = 0; t < ntasks; t++) sgemm_task(&j, t, 0);
    } else {
        cts_pool_parallel_for(pool, ntasks, sgemm_task, &j);
    }
    ct_scratch_free(j.scratch, scls);
    return 0;
}

int cts_sgemm(const cts_sgemm_args *g, cts_pool *pool, cts_err *err) {
    return cts_sgemm_batched(g, 1, 0, 0, 0, pool, err);
}

/* ------------------------------------------------------------------------ */
/* prepacked B                                                               */

cts_gemm_packed *cts_gemm_pack_b(int64_t K, int64_t N, const float *B, int64_t ldb, bool trans_b,
                                 cts_gemm_kernel kernel, cts_err *err) {
    if (K < 0 || N < 0) {
        cts_err_set(err, "gemm_pack_b: negative size (K=%lld, N=%lld)", (long long)K, (long long)N);
        return NULL;
    }
    const gemm_cfg *cf = cfg_for(kernel);
    cts_gemm_packed *p = calloc(1, sizeof *p);
    if (!p) {
        cts_err_oom(err, "packed weights", sizeof *p);
        return NULL;
    }
    p->kind = cf->kind;
    p->k = K;
    p->n = N;
    p->npad = round_up(N, cf->nr);
    if (K && p->npad > (int64_t)(SIZE_MAX / 8) / K) {
        free(p);
        cts_err_set(err, "gemm_pack_b: %lldx%lld is too large", (long long)K, (long long)N);
        return NULL;
    }
    size_t n = (size_t)(K * p->npad);
    p->bytes = (size_t)round_up((int64_t)(n * sizeof(float)), GEMM_ALIGN);
    if (p->bytes == 0) p->bytes = GEMM_ALIGN;
    p->data = aligned_alloc(GEMM_ALIGN, p->bytes);
    if (!p->data) {
        free(p);
        cts_err_oom(err, "packed weights", n * sizeof(float));
        return NULL;
    }
    /* column blocks outermost, as the GEMM's own packing: a transposed B
     * (a linear layer's weight) is then read a few rows at a time, which
     * keeps its pages in the TLB */
    for (int64_t jc = 0; jc < N; jc += cf->nc) {
        int64_t nc = min64(cf->nc, N - jc);
        for (int64_t pc = 0; pc < K; pc += cf->kc) {
            int64_t kc = min64(cf->kc, K - pc);
            pack_b(B, ldb, trans_b, pc, kc, jc, nc, cf->nr, p->data + pc * p->npad + jc * kc);
        }
    }
    return p;
}

void cts_gemm_packed_free(cts_gemm_packed *p) {
    if (!p) return;
    free(p->data);
    free(p);
}

int64_t cts_gemm_packed_k(const cts_gemm_packed *p) { return p->k; }
int64_t cts_gemm_packed_n(const cts_gemm_packed *p) { return p->n; }
size_t cts_gemm_packed_bytes(const cts_gemm_packed *p) { return p->bytes + sizeof *p; }

/* ------------------------------------------------------------------------ */
/* packed weights cached on their storage                                    */

static atomic_llong pack_count;

static void packed_free_fn(void *p) { cts_gemm_packed_free(p); }

const cts_gemm_packed *cts_gemm_cached_b(const ct_tensor *b, bool create) {
    if (!b || b->dtype != CT_FLOAT32 || b->ndim != 2) return NULL;
    int64_t K = b->sizes[0], N = b->sizes[1];
    if (K <= 0 || N <= 0) return NULL;
    int64_t ldb;
    bool trans;
    if (b->strides[1] == 1 || N == 1) {
        trans = false;
        ldb = K == 1 ? N : b->strides[0];
    } else if (b->strides[0] == 1 || K == 1) {
        trans = true;
        ldb = b->strides[1];
    } else {
        return NULL;
    }
    if (ldb <= 0) return NULL; /* broadcast rows: not a weight */
    ct_storage *s = b->storage;
    cts_gemm_kernel kind = cfg_for(CTS_GEMM_AUTO)->kind;
    /* the view (element offset, shape, layout) and the panel layout; a
     * tag keeps other users of the storage cache apart */
    uint64_t key[CT_AUX_KEY] = {0x63747367656d6d42ull /* "ctsgemmB" */,
                                (uint64_t)b->offset,
                                (uint64_t)K,
                                (uint64_t)N,
                                (uint64_t)ldb,
                                (uint64_t)trans,
                                (uint64_t)kind,
                                0};
    uint64_t ver = ct_storage_version(s);
    const cts_gemm_packed *pk = ct_storage_aux_find(s, key, ver);
    if (pk || !create) return pk;
    cts_err e = {0};
    cts_gemm_packed *np = cts_gemm_pack_b(K, N, ct_data(b), ldb, trans, CTS_GEMM_AUTO, &e);
    if (!np) return NULL; /* out of memory: the call packs as it goes */
    atomic_fetch_add_explicit(&pack_count, 1, memory_order_relaxed);
    void *won = ct_storage_aux_add(s, key, ver, np, packed_free_fn);
    if (!won) {
        cts_gemm_packed_free(np); /* cache full: this call packs as it goes */
        return NULL;
    }
    return won;
}

int64_t cts_gemm_cache_packings(void) { return atomic_load_explicit(&pack_count, memory_order_relaxed); }

/* ------------------------------------------------------------------------ */
/* f64 and i64: blocked loops                                                */

/* T: element type; U: accumulation type (unsigned for integers, so that
 * overflow wraps instead of being undefined).  C rows [r0,r1) are computed
 * as C = beta*C (0 when beta == 0) then C += (alpha*a_ik) * b_kj, with B
 * normalised to a contiguous K x N copy when it is transposed. */
#define DEFINE_SIMPLE_GEMM(NAME, T, U)                                                                        \
    typedef struct NAME##_job {                                                                               \
        const NAME##_args *g;                                                                                 \
        const T *B;                                                                                           \
        int64_t ldb;                                                                                          \
        int64_t rows_per_task;                                                                                \
    } NAME##_job;                                                                                             \
    static void NAME##_rows(void *ctx, int64_t task, int thread) {                                            \
        (void)thread;                                                                                         \
        const NAME##_job *j = ctx;                                                                            \
        const NAME##_args *g = j->g;                                                                          \
        int64_t r0 = task * j->rows_per_task, r1 = min64(r0 + j->rows_per_task, g->M);                        \
        for (int64_t i = r0; i < r1; i++) {                                                                   \
            T *cr = g->C + i * g->ldc;                                                                        \
            for (int64_t jn = 0; jn < g->N; jn++)                                                             \
                cr[jn] = g->beta == 0 ? (T)0 : (T)((U)g->beta * (U)cr[jn]);                                   \
        }                                                                                                     \
        for (int64_t jb = 0; jb < g->N; jb += 512) {                                                          \
            int64_t je = min64(jb + 512, g->N);                                                               \
            for (int64_t kb = 0; kb < g->K; kb += 128) {                                                      \
                int64_t ke = min64(kb + 128, g->K);                                                           \
                for (int64_t i = r0; i < r1; i++) {                                                           \
                    T *cr = g->C + i * g->ldc;                                                                \
                    for (int64_t k = kb; k < ke; k++) {                                                       \
                        T a = g->trans_a ? g->A[k * g->lda + i] : g->A[i * g->lda + k];                       \
                        U s = (U)g->alpha * (U)a;                                                             \
                        const T *br = j->B + k * j->ldb;                                                      \
                        for (int64_t jn = jb; jn < je; jn++) cr[jn] = (T)((U)cr[jn] + s * (U)br[jn]);         \
                    }                                                                                         \
                }                                                                                             \
            }                                                                                                 \
        }                                                                                                     \
    }                                                                                                         \
    int cts_##NAME(const NAME##_args *g, cts_pool *pool, cts_err *err) {                                      \
        if (g->M < 0 || g->N < 0 || g->K < 0)                                                                 \
            return cts_err_set(err, #NAME ": negative size");                                                 \
        if (g->M == 0 || g->N == 0) return 0;                                                                 \
        NAME##_job j;                                                                                         \
        j.g = g;                                                                                              \
        T *copy = NULL;                                                                                       \
        if (g->trans_b && g->K > 0) {                                                                         \
            size_t n = (size_t)g->K * (size_t)g->N;                                                           \
            copy = malloc(n * sizeof(T));                                                                     \
            if (!copy) return cts_err_oom(err, #NAME " operand copy", n * sizeof(T));                         \
            for (int64_t k = 0; k < g->K; k++)                                                                \
                for (int64_t jn = 0; jn < g->N; jn++) copy[k * g->N + jn] = g->B[jn * g->ldb + k];            \
            j.B = copy;                                                                                       \
            j.ldb = g->N;                                                                                     \
        } else {                                                                                              \
            j.B = g->B;                                                                                       \
            j.ldb = g->ldb;                                                                                   \
        }                                                                                                     \
        int nt = cts_pool_nthreads(pool);                                                                     \
        double flops = 2.0 * (double)g->M * (double)g->N * (double)g->K;                                      \
        if (flops < CTS_POOL_MIN_FLOPS) nt = 1;                                                               \
        int64_t ntask = g->M < nt ? g->M : nt;                                                                \
        j.rows_per_task = (g->M + ntask - 1) / ntask;                                                         \
        ntask = (g->M + j.rows_per_task - 1) / j.rows_per_task;                                               \
        if (nt == 1) NAME##_rows(&j, 0, 0);                                                                   \
        else cts_pool_parallel_for(pool, ntask, NAME##_rows, &j);                                             \
        free(copy);                                                                                           \
        return 0;                                                                                             \
    }

typedef cts_dgemm_args dgemm_args;
typedef cts_igemm_args igemm_args;
DEFINE_SIMPLE_GEMM(dgemm, double, double)
DEFINE_SIMPLE_GEMM(igemm, int64_t, uint64_t)
