/* gemm.c - SGEMM (packed, register-tiled, runtime-dispatched) and the
 * simple f64 / i64 products.
 *
 * Loop nest (BLIS order), for one block of C [m0,m1) x [n0,n1):
 *
 *   for jc in N step NC                      B block KC x NC  (L3)
 *     for pc in K step KC                    pack B -> KC x NR panels (or use prepacked)
 *       for ic in M step MC                  pack A -> MR x KC panels  (L2)
 *         for jr in NC step NR               one B micro-panel          (L1)
 *           for ir in MC step MR             microkernel: MR x NR tile of C in registers
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
    bool first, last, relu;
} gemm_epi;

typedef void (*ukernel_fn)(int mr, int nr, int64_t kc, const float *a, const float *b, int64_t ldb, float *c,
                           int64_t ldc, const gemm_epi *e);

typedef struct gemm_cfg {
    cts_gemm_kernel kind;
    int mr, nr;
    int64_t kc, mc, nc;
    ukernel_fn kernel;
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
                if (e->relu && x < 0.0f) x = 0.0f; /* NaN stays NaN, as torch.relu */
            }
            cr[j] = x;
        }
    }
}

#define SC_MR 4
#define SC_NR 16

static void scalar_kernel(int mr, int nr, int64_t kc, const float *a, const float *b, int64_t ldb, float *c,
                          int64_t ldc, const gemm_epi *e) {
    float acc[SC_MR][SC_NR];
    memset(acc, 0, sizeof acc);
    for (int64_t k = 0; k < kc; k++) {
        const float *bk = b + k * ldb;
        for (int r = 0; r < mr; r++) {
            float ar = a[k * SC_MR + r];
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
            if (e->relu) x = V_MAX(V_ZERO(), x); /* max(0, NaN) = NaN */                  \
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

/* NAME##_tile: MRc (a constant after inlining) rows of C, 2*V_W columns.
 * tmp == NULL: full tile, epilogue into C; else raw sums into tmp. */
#define DEFINE_UKERNEL(NAME, TGT, MRMAX)                                                                   \
    static inline __attribute__((always_inline, target(TGT))) void NAME##_tile(                           \
        const int MRc, int64_t kc, const float *a, const float *b, int64_t ldb, float *c, int64_t ldc,     \
        const gemm_epi *e, float *tmp) {                                                                   \
        UK_ROWS(UK_DECL)                                                                                   \
        if (!tmp) { UK_ROWS(UK_PREFETCH_C) }                                                               \
        for (int64_t k = 0; k < kc; k++) {                                                                 \
            V_T b0 = V_LOAD(b), b1 = V_LOAD(b + V_W);                                                      \
            UK_ROWS(UK_FMA)                                                                                \
            a += (MRMAX);                                                                                  \
            b += ldb;                                                                                      \
        }                                                                                                  \
        if (tmp) {                                                                                         \
            UK_ROWS(UK_RAW)                                                                                \
        } else {                                                                                           \
            UK_ROWS(UK_EPI)                                                                                \
        }                                                                                                  \
    }                                                                                                      \
    __attribute__((target(TGT))) static void NAME##_kernel(int mr, int nr, int64_t kc, const float *a,     \
                                                           const float *b, int64_t ldb, float *c,          \
                                                           int64_t ldc, const gemm_epi *e) {               \
        float tbuf[(MRMAX) * 2 * V_W] __attribute__((aligned(64)));                                        \
        float *tmp = nr < 2 * V_W ? tbuf : NULL;                                                           \
        switch (mr) {                                                                                      \
        case 1: NAME##_tile(1, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 2: NAME##_tile(2, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 3: NAME##_tile(3, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 4: NAME##_tile(4, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 5: NAME##_tile(5, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 6: NAME##_tile(6, kc, a, b, ldb, c, ldc, e, tmp); break;                                      \
        case 7: if ((MRMAX) >= 7) NAME##_tile(7, kc, a, b, ldb, c, ldc, e, tmp); break;                    \
        case 8: if ((MRMAX) >= 8) NAME##_tile(8, kc, a, b, ldb, c, ldc, e, tmp); break;                    \
        case 9: if ((MRMAX) >= 9) NAME##_tile(9, kc, a, b, ldb, c, ldc, e, tmp); break;                    \
        case 10: if ((MRMAX) >= 10) NAME##_tile(10, kc, a, b, ldb, c, ldc, e, tmp); break;                 \
        case 11: if ((MRMAX) >= 11) NAME##_tile(11, kc, a, b, ldb, c, ldc, e, tmp); break;                 \
        case 12: if ((MRMAX) >= 12) NAME##_tile(12, kc, a, b, ldb, c, ldc, e, tmp); break;                 \
        case 13: if ((MRMAX) >= 13) NAME##_tile(13, kc, a, b, ldb, c, ldc, e, tmp); break;                 \
        case 14: if ((MRMAX) >= 14) NAME##_tile(14, kc, a, b, ldb, c, ldc, e, tmp); break;                 \
        default: return;                                                                                   \
        }                                                                                                  \
        if (tmp) epi_store_scalar(mr, nr, tmp, 2 * V_W, c, ldc, e);                                        \
    }

/* --- AVX2 + FMA: 6 x 16 --- */
#define V_T __m256
#define V_W 8
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_STORE(p, x) _mm256_storeu_ps((p), (x))
#define V_BCAST(p) _mm256_broadcast_ss(p)
#define V_FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define V_ZERO() _mm256_setzero_ps()
#define V_ADD(a, b) _mm256_add_ps((a), (b))
#define V_MUL(a, b) _mm256_mul_ps((a), (b))
#define V_SET1(x) _mm256_set1_ps(x)
#define V_MAX(a, b) _mm256_max_ps((a), (b))
DEFINE_UKERNEL(avx2, "avx2,fma", 6)
#undef V_T
#undef V_W
#undef V_LOAD
#undef V_STORE
#undef V_BCAST
#undef V_FMA
#undef V_ZERO
#undef V_ADD
#undef V_MUL
#undef V_SET1
#undef V_MAX

/* --- AVX-512: 14 x 32 --- */
#define AVX512_TGT "avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"
#define V_T __m512
#define V_W 16
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_STORE(p, x) _mm512_storeu_ps((p), (x))
#define V_BCAST(p) _mm512_set1_ps(*(p))
#define V_FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define V_ZERO() _mm512_setzero_ps()
#define V_ADD(a, b) _mm512_add_ps((a), (b))
#define V_MUL(a, b) _mm512_mul_ps((a), (b))
#define V_SET1(x) _mm512_set1_ps(x)
#define V_MAX(a, b) _mm512_max_ps((a), (b))
DEFINE_UKERNEL(avx512, AVX512_TGT, 14)
#undef V_T
#undef V_W
#undef V_LOAD
#undef V_STORE
#undef V_BCAST
#undef V_FMA
#undef V_ZERO
#undef V_ADD
#undef V_MUL
#undef V_SET1
#undef V_MAX

/* --- AVX2 emulating the AVX-512 tile: 14 x 32 with 16-lane pairs --- */
typedef struct v16 {
    __m256 lo, hi;
} v16;
#define W_TGT "avx2,fma"
static inline __attribute__((always_inline, target(W_TGT))) v16 w_load(const float *p) {
    v16 r = {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)};
    return r;
}
static inline __attribute__((always_inline, target(W_TGT))) void w_store(float *p, v16 x) {
    _mm256_storeu_ps(p, x.lo);
    _mm256_storeu_ps(p + 8, x.hi);
}
static inline __attribute__((always_inline, target(W_TGT))) v16 w_set1(float x) {
    v16 r = {_mm256_set1_ps(x), _mm256_set1_ps(x)};
    return r;
}
static inline __attribute__((always_inline, target(W_TGT))) v16 w_fma(v16 a, v16 b, v16 c) {
    v16 r = {_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
    return r;
}
static inline __attribute__((always_inline, target(W_TGT))) v16 w_add(v16 a, v16 b) {
    v16 r = {_mm256_add_ps(a.lo, b.lo), _mm256_add_ps(a.hi, b.hi)};
    return r;
}
static inline __attribute__((always_inline, target(W_TGT))) v16 w_mul(v16 a, v16 b) {
    v16 r = {_mm256_mul_ps(a.lo, b.lo), _mm256_mul_ps(a.hi, b.hi)};
    return r;
}
static inline __attribute__((always_inline, target(W_TGT))) v16 w_max(v16 a, v16 b) {
    v16 r = {_mm256_max_ps(a.lo, b.lo), _mm256_max_ps(a.hi, b.hi)};
    return r;
}
#define V_T v16
#define V_W 16
#define V_LOAD(p) w_load(p)
#define V_STORE(p, x) w_store((p), (x))
#define V_BCAST(p) w_set1(*(p))
#define V_FMA(a, b, c) w_fma((a), (b), (c))
#define V_ZERO() w_set1(0.0f)
#define V_ADD(a, b) w_add((a), (b))
#define V_MUL(a, b) w_mul((a), (b))
#define V_SET1(x) w_set1(x)
#define V_MAX(a, b) w_max((a), (b))
DEFINE_UKERNEL(wide, W_TGT, 14)
#undef V_T
#undef V_W
#undef V_LOAD
#undef V_STORE
#undef V_BCAST
#undef V_FMA
#undef V_ZERO
#undef V_ADD
#undef V_MUL
#undef V_SET1
#undef V_MAX

#endif /* GEMM_X86 */

/* Block sizes: the B micro-panel (KC x NR) stays in L1, the packed A block
 * (MC x KC) in L2, the packed B block (KC x NC) in L3. */
static const gemm_cfg CFG_SCALAR = {CTS_GEMM_SCALAR, SC_MR, SC_NR, 256, 128, 4096, scalar_kernel};
#ifdef GEMM_X86
#ifndef AVX2_KC
#define AVX2_KC 256
#endif
#ifndef AVX2_MC
#define AVX2_MC 144
#endif
static const gemm_cfg CFG_AVX2 = {CTS_GEMM_AVX2, 6, 16, AVX2_KC, AVX2_MC, 4096, avx2_kernel};
static const gemm_cfg CFG_AVX512 = {CTS_GEMM_AVX512, 14, 32, 256, 168, 4096, avx512_kernel};
static const gemm_cfg CFG_WIDE = {CTS_GEMM_AVX2_WIDE, 14, 32, 256, 168, 4096, wide_kernel};
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

/* One item's block C[m0:m1, n0:n1]; n0 is a multiple of NR. */
static void gemm_block(const gemm_cfg *cf, const cts_sgemm_args *g, const float *A, const float *B, float *C,
                       int64_t m0, int64_t m1, int64_t n0, int64_t n1, float *apack, float *bpack) {
    const int MR = cf->mr, NR = cf->nr;
    const int64_t K = g->K;
    const cts_gemm_packed *pk = g->packed_b;
    gemm_epi e;
    e.alpha = g->alpha;
    e.beta = g->beta;
    e.relu = g->relu;
    for (int64_t jc = n0; jc < n1; jc += cf->nc) {
        int64_t nc = min64(cf->nc, n1 - jc);
        for (int64_t pc = 0; pc < K; pc += cf->kc) {
            int64_t kc = min64(cf->kc, K - pc);
            const float *bp;
            if (pk) {
                bp = pk->data + pc * pk->npad + jc * kc;
            } else {
                pack_b(B, g->ldb, g->trans_b, pc, kc, jc, nc, NR, bpack);
                bp = bpack;
            }
            e.first = pc == 0;
            e.last = pc + kc >= K;
            for (int64_t ic = m0; ic < m1; ic += cf->mc) {
                int64_t mc = min64(cf->mc, m1 - ic);
                pack_a(A, g->lda, g->trans_a, ic, mc, pc, kc, MR, apack);
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    int nr = (int)min64(NR, nc - jr);
                    e.bias_n = g->bias_n ? g->bias_n + jc + jr : NULL;
                    const float *bpj = bp + jr * kc;
                    float *cj = C + jc + jr;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        int mr = (int)min64(MR, mc - ir);
                        e.bias_m = g->bias_m ? g->bias_m + ic + ir : NULL;
                        cf->kernel(mr, nr, kc, apack + ir * kc, bpj, NR, cj + (ic + ir) * g->ldc, g->ldc, &e);
                    }
                }
            }
        }
    }
}

/* K == 0: C = beta*C + biases, relu. */
static void epilogue_only(const cts_sgemm_args *g, float *C) {
    for (int64_t i = 0; i < g->M; i++) {
        float *cr = C + i * g->ldc;
        for (int64_t j = 0; j < g->N; j++) {
            float x = g->beta != 0.0f ? g->beta * cr[j] : 0.0f;
            if (g->bias_n) x += g->bias_n[j];
            if (g->bias_m) x += g->bias_m[i];
            if (g->relu && x < 0.0f) x = 0.0f;
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
    gemm_block(j->cf, g, A, B, C, m0, m1, n0, n1, apack, bpack);
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

    sgemm_job j;
    j.cf = cf;
    j.g = g;
    j.sa = stride_a;
    j.sb = stride_b;
    j.sc = stride_c;
    int64_t np = (g->N + cf->nr - 1) / cf->nr, mp = (g->M + cf->mr - 1) / cf->mr;
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
    j.scratch = aligned_alloc(GEMM_ALIGN, total);
    if (!j.scratch) return cts_err_oom(err, "sgemm packing buffers", total);
    int64_t ntasks = batch * j.ntask;
    if (nt == 1) {
        for (int64_t t = 0; t < ntasks; t++) sgemm_task(&j, t, 0);
    } else {
        cts_pool_parallel_for(pool, ntasks, sgemm_task, &j);
    }
    free(j.scratch);
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
    for (int64_t pc = 0; pc < K; pc += cf->kc) {
        int64_t kc = min64(cf->kc, K - pc);
        for (int64_t jc = 0; jc < N; jc += cf->nc) {
            int64_t nc = min64(cf->nc, N - jc);
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
