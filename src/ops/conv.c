/* conv.c - convolutions: aten::_convolution (and its deprecated 12-argument
 * overload), convolution, _convolution_mode, conv1d, conv2d (int and "same"/
 * "valid" padding), conv_transpose1d and conv_transpose2d.
 *
 * Every front end reduces to conv_run() on 2-D NCHW data (1-D convolutions
 * are viewed as 2-D with a unit height, as PyTorch does), after PyTorch
 * 1.13's checks in PyTorch's order and words (_convolution's parameter
 * expansion, check_shape_forward, the backends' dtype checks).
 *
 * Algorithms (float32):
 *   - depthwise (groups == C_in == C_out): a direct kernel over NCHW planes;
 *   - 1x1, stride 1, no padding: one GEMM per group straight on the input;
 *   - dense spatial kernels (conv_direct.h's rule): the direct channels-last
 *     kernel with the weight packed once (at load for a module's weights,
 *     through the prepack hooks at the end of this file);
 *   - everything else (1x1 with stride or padding, narrow groups): im2col
 *     into a column buffer (bands of output rows, so the buffer stays small)
 *     + GEMM, with the bias fused as a per-row bias;
 *   - transposed: GEMM into columns + col2im.
 * Other dtypes (float64, integers, bfloat16) use a direct reference loop
 * accumulating in double or wrapping int64. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "../core/pool.h"
#include "../tensor/block_cache.h"
#include "conv_direct.h"
#include "gemm.h"
#include "op.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CONV_X86 1
#endif

/* ------------------------------------------------------------------------ */
/* arguments                                                                 */

static int arg_tensor(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name,
                      ct_tensor **out) {
    if (args[i].tag != CV_TENSOR || !args[i].u.t)
        return cts_err_set(k->err, "%s: expected a Tensor for argument '%s' but got %s", op, name,
                           args[i].tag == CV_TENSOR ? "an undefined tensor" : cv_tag_name(args[i].tag));
    *out = args[i].u.t;
    return 0;
}

static int arg_opt_tensor(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name,
                          ct_tensor **out) {
    if (args[i].tag == CV_NONE || (args[i].tag == CV_TENSOR && !args[i].u.t)) {
        *out = NULL;
        return 0;
    }
    if (args[i].tag == CV_TENSOR) {
        *out = args[i].u.t;
        return 0;
    }
    return cts_err_set(k->err, "%s: expected a Tensor or None for argument '%s' but got %s", op, name,
                       cv_tag_name(args[i].tag));
}

#define MAX_LIST 8

typedef struct ilist {
    int n;
    int64_t v[MAX_LIST];
} ilist;

/* int[N]: a list of ints; a bare int means N copies (one for int[]). */
static int arg_ilistn(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name, int fixed,
                      ilist *out) {
    cv_value v = args[i];
    if (v.tag == CV_INT) {
        out->n = fixed > 0 ? fixed : 1;
        for (int j = 0; j < out->n; j++) out->v[j] = v.u.i;
        return 0;
    }
    if (v.tag != CV_LIST)
        return cts_err_set(k->err, "%s: expected a list of ints for argument '%s' but got %s", op, name,
                           cv_tag_name(v.tag));
    if (v.u.l->len > MAX_LIST)
        return cts_err_set(k->err, "%s: argument '%s' has %zu values; convolutions take at most %d", op, name,
                           v.u.l->len, MAX_LIST);
    out->n = (int)v.u.l->len;
    for (int j = 0; j < out->n; j++) {
        cv_value e = v.u.l->items[j];
        if (e.tag != CV_INT)
            return cts_err_set(k->err, "%s: expected a list of ints for argument '%s'", op, name);
        out->v[j] = e.u.i;
    }
    return 0;
}

static int arg_ilist(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name, ilist *out) {
    return arg_ilistn(k, args, i, op, name, 0, out);
}

static int arg_int(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name, int64_t *out) {
    if (args[i].tag == CV_INT) *out = args[i].u.i;
    else if (args[i].tag == CV_BOOL) *out = args[i].u.b;
    else return cts_err_set(k->err, "%s: expected an int for argument '%s' but got %s", op, name, cv_tag_name(args[i].tag));
    return 0;
}

static int arg_bool(cts_kctx *k, const cv_value *args, int i, const char *op, const char *name, bool *out) {
    if (args[i].tag == CV_BOOL) *out = args[i].u.b;
    else if (args[i].tag == CV_INT) *out = args[i].u.i != 0;
    else return cts_err_set(k->err, "%s: expected a bool for argument '%s' but got %s", op, name, cv_tag_name(args[i].tag));
    return 0;
}

static const char *st(ct_dtype d) { return ct_dtype_ir_name(d); }

/* caffe2 TypeMeta names, which the bias type check prints */
static const char *meta_name(ct_dtype d) {
    switch (d) {
    case CT_UINT8: return "unsigned char";
    case CT_INT8: return "signed char";
    case CT_INT16: return "short int";
    case CT_INT32: return "int";
    case CT_INT64: return "long int";
    case CT_FLOAT16: return "c10::Half";
    case CT_FLOAT32: return "float";
    case CT_FLOAT64: return "double";
    case CT_BOOL: return "bool";
    case CT_BFLOAT16: return "c10::BFloat16";
    default: return "unknown";
    }
}

/* "[1, 2]" */
static const char *list_str(const int64_t *v, int n, char *buf, size_t cap) { return ct_shape_str(n, v, buf, cap); }

/* ------------------------------------------------------------------------ */
/* parameters and checks                                                     */

typedef struct conv_params {
    int dim;                        /* spatial dims of the call (1 or 2; 3 is rejected after the checks) */
    int64_t stride[3], pad[3], pad_end[3], dil[3], out_pad[3];
    int64_t groups;
    bool transposed;
    bool bias_any_dtype;            /* 1-D convolutions convert the bias (PyTorch 1.13 quirk) */
    struct conv_fuse *fuse;         /* cts::conv_act's epilogue, or NULL */
} conv_params;

/* cts::conv_act's epilogue as the call asks for it: conv_run applies it in
 * the kernels when it can (float32, not transposed, a residual of the
 * output's shape, contiguous, float32) and says so in `applied`; the
 * caller does it with separate ops otherwise. */
typedef struct conv_fuse {
    const ct_tensor *res; /* NULL: none */
    float lo, hi;
    int act;              /* act.h's code */
    bool applied;
} conv_fuse;

/* expand_param_if_needed */
static int expand_param(cts_kctx *k, const ilist *l, const char *name, int dim, int64_t *out) {
    if (l->n == 1) {
        for (int i = 0; i < dim; i++) out[i] = l->v[0];
        return 0;
    }
    if (l->n != dim) {
        char b[256];
        return cts_err_set(k->err,
                           "expected %s to be a single integer value or a list of %d values to match the convolution "
                           "dimensions, but got %s=%s",
                           name, dim, name, list_str(l->v, l->n, b, sizeof b));
    }
    memcpy(out, l->v, sizeof(int64_t) * (size_t)dim);
    return 0;
}

/* check_shape_forward of PyTorch 1.13 */
static int check_shape_forward(cts_kctx *k, const ct_tensor *x, const ct_tensor *w, const ct_tensor *bias,
                               const conv_params *p) {
    char a[256], b[256];
    int dim = p->dim;
    for (int i = 0; i < dim; i++)
        if (p->pad[i] < 0) return cts_err_set(k->err, "negative padding is not supported");
    for (int i = 0; i < dim; i++)
        if (p->out_pad[i] < 0) return cts_err_set(k->err, "negative output_padding is not supported");
    for (int i = 0; i < dim; i++)
        if (p->stride[i] <= 0) return cts_err_set(k->err, "non-positive stride is not supported");
    if (w->ndim != x->ndim)
        return cts_err_set(k->err,
                           "Expected %d-dimensional input for %d-dimensional weight %s, but got %d-dimensional input "
                           "of size %s instead",
                           w->ndim, w->ndim, ct_shape_str(w->ndim, w->sizes, a, sizeof a), x->ndim,
                           ct_shape_str(x->ndim, x->sizes, b, sizeof b));
    int64_t g = p->groups;
    if (w->sizes[0] < g)
        return cts_err_set(k->err,
                           "Given groups=%lld, expected weight to be at least %lld at dimension 0, but got weight of "
                           "size %s instead",
                           (long long)g, (long long)g, ct_shape_str(w->ndim, w->sizes, a, sizeof a));
    if (w->sizes[0] % g)
        return cts_err_set(k->err,
                           "Given groups=%lld, expected weight to be divisible by %lld at dimension 0, but got weight "
                           "of size [%s] instead",
                           (long long)g, (long long)g, ct_shape_str(w->ndim, w->sizes, a, sizeof a));
    if (!p->transposed) {
        if (x->sizes[1] != w->sizes[1] * g)
            return cts_err_set(k->err,
                               "Given groups=%lld, weight of size %s, expected input%s to have %lld channels, but got "
                               "%lld channels instead",
                               (long long)g, ct_shape_str(w->ndim, w->sizes, a, sizeof a),
                               ct_shape_str(x->ndim, x->sizes, b, sizeof b), (long long)(w->sizes[1] * g),
                               (long long)x->sizes[1]);
        if (bias && !(bias->ndim == 1 && bias->sizes[0] == w->sizes[0]))
            return cts_err_set(k->err,
                               "Given weight of size %s, expected bias to be 1-dimensional with %lld elements, but got "
                               "bias of size %s instead",
                               ct_shape_str(w->ndim, w->sizes, a, sizeof a), (long long)w->sizes[0],
                               ct_shape_str(bias->ndim, bias->sizes, b, sizeof b));
        bool ok = true;
        char in_s[128] = "", ker_s[128] = "";
        size_t io = 0, ko = 0;
        for (int i = 2; i < x->ndim; i++) {
            int64_t is = x->sizes[i] + p->pad[i - 2] + p->pad_end[i - 2];
            int64_t ks = p->dil[i - 2] * (w->sizes[i] - 1) + 1;
            if (is < ks) ok = false;
            io += (size_t)snprintf(in_s + io, sizeof in_s - io, "%s%lld", i > 2 ? " x " : "", (long long)is);
            ko += (size_t)snprintf(ker_s + ko, sizeof ker_s - ko, "%s%lld", i > 2 ? " x " : "", (long long)ks);
            if (io >= sizeof in_s) io = sizeof in_s - 1;
            if (ko >= sizeof ker_s) ko = sizeof ker_s - 1;
        }
        if (!ok)
            return cts_err_set(k->err,
                               "Calculated padded input size per channel: (%s). Kernel size: (%s). Kernel size can't "
                               "be greater than actual input size",
                               in_s, ker_s);
    } else {
        if (x->sizes[1] != w->sizes[0])
            return cts_err_set(k->err,
                               "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got "
                               "%lld channels instead",
                               ct_shape_str(w->ndim, w->sizes, a, sizeof a), ct_shape_str(x->ndim, x->sizes, b, sizeof b),
                               (long long)w->sizes[0], (long long)x->sizes[1]);
        if (bias && !(bias->ndim == 1 && bias->sizes[0] == w->sizes[1] * g))
            return cts_err_set(k->err,
                               "Given transposed=1, weight of size %s, expected bias to be 1-dimensional with %lld "
                               "elements, but got bias of size %s instead",
                               ct_shape_str(w->ndim, w->sizes, a, sizeof a), (long long)(w->sizes[1] * g),
                               ct_shape_str(bias->ndim, bias->sizes, b, sizeof b));
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* float32 kernels                                                           */


/* Depthwise rows.  For one output row, `rows[ki]` is the input row tap ki
 * reads (NULL where it falls in the padding).  Output columns [lo, hi) have
 * every horizontal tap inside the input; the rest is the border. */
typedef struct dw_row {
    const float *const *rows;
    const float *w;       /* kh x kw taps of this channel */
    int64_t kh, kw, W, sw, pw, dw;
    float bias;
} dw_row;

/* One output column with bounds checks (borders, strides, scalar path). */
static inline float dw_point(const dw_row *r, int64_t ow) {
    float acc = r->bias;
    for (int64_t ki = 0; ki < r->kh; ki++) {
        const float *xr = r->rows[ki];
        if (!xr) continue;
        for (int64_t kj = 0; kj < r->kw; kj++) {
            int64_t iw = ow * r->sw - r->pw + kj * r->dw;
            if (iw >= 0 && iw < r->W) acc += r->w[ki * r->kw + kj] * xr[iw];
        }
    }
    return acc;
}

static void dw_row_scalar(const dw_row *r, float *y, int64_t OW, int64_t lo, int64_t hi) {
    (void)lo;
    (void)hi;
    for (int64_t ow = 0; ow < OW; ow++) y[ow] = dw_point(r, ow);
}

#ifdef CONV_X86
/* Input columns p[0], p[2], ..., p[14] (stride 2); p[15] is not read. */
__attribute__((target("avx2,fma"))) static inline __m256 load_even(const float *p) {
    const __m256i m7 = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, -1, 0);
    __m256 a = _mm256_loadu_ps(p), b = _mm256_maskload_ps(p + 8, m7);
    __m256 e = _mm256_shuffle_ps(a, b, 0x88); /* a0 a2 b0 b2 | a4 a6 b4 b6 */
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xD8));
}

/* Input columns p[0], p[s], ..., p[7s]. */
__attribute__((target("avx2,fma"))) static inline __m256 load_strided(const float *p, int64_t s) {
    if (s == 1) return _mm256_loadu_ps(p);
    if (s == 2) return load_even(p);
    const __m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int)s));
    return _mm256_i32gather_ps(p, idx, 4);
}

/* Stride 2 without dilation: each input row split once into its even and
 * odd columns, so that every tap reads eight consecutive values of one of
 * them (tap kj reads column 2*ow - pw + kj: the even or odd half by the
 * parity of kj - pw).  Computes [*ow, hi) of the interior (at least 8
 * columns), in steps of 8 with an overlapping last step, and advances *ow
 * to hi. */
#define DW_SPLIT_MAX_W 512 /* 14 KiB of stack at most */
#define DW_SPLIT_MAX_KH 7
__attribute__((target("avx2,fma"))) static void dw_row_s2_avx2(const dw_row *r, float *y, int64_t *pow, int64_t hi) {
    int64_t half = (r->W + 1) / 2;
    float split[DW_SPLIT_MAX_KH][2][DW_SPLIT_MAX_W / 2 + 1];
    for (int64_t ki = 0; ki < r->kh; ki++) {
        const float *xr = r->rows[ki];
        if (!xr) continue;
        int64_t i = 0;
        for (; 2 * i + 16 <= r->W; i += 8) {
            __m256 a = _mm256_loadu_ps(xr + 2 * i), b = _mm256_loadu_ps(xr + 2 * i + 8);
            __m256 ev = _mm256_shuffle_ps(a, b, 0x88), od = _mm256_shuffle_ps(a, b, 0xDD); /* in 128-bit lanes */
            _mm256_storeu_ps(&split[ki][0][i], _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(ev), 0xD8)));
            _mm256_storeu_ps(&split[ki][1][i], _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(od), 0xD8)));
        }
        for (; i < half; i++) {
            split[ki][0][i] = xr[2 * i];
            split[ki][1][i] = 2 * i + 1 < r->W ? xr[2 * i + 1] : 0.0f;
        }
    }
    int64_t ow = *pow;
    for (;;) {
        if (ow + 8 > hi) {
            if (ow >= hi) break;
            ow = hi - 8;
        }
        __m256 acc = _mm256_set1_ps(r->bias);
        for (int64_t ki = 0; ki < r->kh; ki++) {
            if (!r->rows[ki]) continue;
            const float *wk = r->w + ki * r->kw;
            for (int64_t kj = 0; kj < r->kw; kj++) {
                int64_t c = kj - r->pw, par = c & 1, off = (c - par) / 2; /* column 2*ow + c = 2*(ow + off) + par */
                acc = _mm256_fmadd_ps(_mm256_set1_ps(wk[kj]), _mm256_loadu_ps(&split[ki][par][ow + off]), acc);
            }
        }
        _mm256_storeu_ps(y + ow, acc);
        ow += 8;
    }
    *pow = hi;
}

/* 8 output columns per step, all taps accumulated in a register; any
 * stride (strides past 2^31/8 take the scalar path). */
__attribute__((target("avx2,fma"))) static void dw_row_avx2(const dw_row *r, float *y, int64_t OW, int64_t lo,
                                                           int64_t hi) {
    if (r->sw > (1 << 27)) {
        dw_row_scalar(r, y, OW, lo, hi);
        return;
    }
    int64_t ow = 0;
    for (; ow < lo; ow++) y[ow] = dw_point(r, ow);
    if (r->sw == 1 && r->kh == 3 && r->kw == 3 && r->rows[0] && r->rows[1] && r->rows[2]) {
        /* the common 3x3 interior row: taps in registers */
        const float *w = r->w;
        __m256 w0 = _mm256_set1_ps(w[0]), w1 = _mm256_set1_ps(w[1]), w2 = _mm256_set1_ps(w[2]);
        __m256 w3 = _mm256_set1_ps(w[3]), w4 = _mm256_set1_ps(w[4]), w5 = _mm256_set1_ps(w[5]);
        __m256 w6 = _mm256_set1_ps(w[6]), w7 = _mm256_set1_ps(w[7]), w8 = _mm256_set1_ps(w[8]);
        const float *x0 = r->rows[0] - r->pw, *x1 = r->rows[1] - r->pw, *x2 = r->rows[2] - r->pw;
        int64_t d = r->dw;
        __m256 b = _mm256_set1_ps(r->bias);
        for (;;) {
            if (ow + 8 > hi) {
                /* the last partial vector: recompute an overlapping one */
                if (ow >= hi || hi - lo < 8) break;
                ow = hi - 8;
            }
            __m256 a0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x0 + ow), b);
            __m256 a1 = _mm256_mul_ps(w1, _mm256_loadu_ps(x0 + ow + d));
            __m256 a2 = _mm256_mul_ps(w2, _mm256_loadu_ps(x0 + ow + 2 * d));
            a0 = _mm256_fmadd_ps(w3, _mm256_loadu_ps(x1 + ow), a0);
            a1 = _mm256_fmadd_ps(w4, _mm256_loadu_ps(x1 + ow + d), a1);
            a2 = _mm256_fmadd_ps(w5, _mm256_loadu_ps(x1 + ow + 2 * d), a2);
            a0 = _mm256_fmadd_ps(w6, _mm256_loadu_ps(x2 + ow), a0);
            a1 = _mm256_fmadd_ps(w7, _mm256_loadu_ps(x2 + ow + d), a1);
            a2 = _mm256_fmadd_ps(w8, _mm256_loadu_ps(x2 + ow + 2 * d), a2);
            _mm256_storeu_ps(y + ow, _mm256_add_ps(a0, _mm256_add_ps(a1, a2)));
            ow += 8;
        }
    }
    if (r->sw == 2 && r->dw == 1 && r->W <= DW_SPLIT_MAX_W && r->kh <= DW_SPLIT_MAX_KH && hi - lo >= 8) {
        dw_row_s2_avx2(r, y, &ow, hi);
    }
    for (;;) {
        if (ow + 8 > hi) {
            if (ow >= hi || hi - lo < 8) break;
            ow = hi - 8;
        }
        __m256 acc = _mm256_set1_ps(r->bias);
        for (int64_t ki = 0; ki < r->kh; ki++) {
            const float *xr = r->rows[ki];
            if (!xr) continue;
            const float *xp = xr + ow * r->sw - r->pw;
            const float *wk = r->w + ki * r->kw;
            for (int64_t kj = 0; kj < r->kw; kj++)
                acc = _mm256_fmadd_ps(_mm256_set1_ps(wk[kj]), load_strided(xp + kj * r->dw, r->sw), acc);
        }
        _mm256_storeu_ps(y + ow, acc);
        ow += 8;
    }
    for (; ow < OW; ow++) y[ow] = dw_point(r, ow);
}
#endif

typedef void (*dw_row_fn)(const dw_row *r, float *y, int64_t OW, int64_t lo, int64_t hi);

static dw_row_fn pick_dw_row(void) {
#ifdef CONV_X86
    if (cts_cpu_isa() >= CTS_ISA_AVX2) return dw_row_avx2;
#endif
    return dw_row_scalar;
}

/* Output columns ow in [lo, hi) read input column ow*s + off inside [0, W). */
static void col_range(int64_t OW, int64_t W, int64_t s, int64_t off, int64_t *lo, int64_t *hi) {
    int64_t l = off >= 0 ? 0 : (-off + s - 1) / s;
    int64_t h = W - 1 - off < 0 ? 0 : (W - 1 - off) / s + 1;
    if (h > OW) h = OW;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

typedef struct dw_job {
    const conv_prob *p;
    const float *x, *w, *bias;
    float *y;
    dw_row_fn row;
    const conv_epi *epi; /* NULL: none */
} dw_job;

#define DW_MAX_KH 64

/* Depthwise: one (image, channel) plane per task. */
static void dw_plane(void *ctx, int64_t task, int thread) {
    (void)thread;
    const dw_job *j = ctx;
    const conv_prob *p = j->p;
    int64_t c = task % p->C;
    const float *x = j->x + task * p->H * p->W;
    float *y = j->y + task * p->OH * p->OW;
    const float *res = j->epi && j->epi->res ? j->epi->res + task * p->OH * p->OW : NULL;
    /* columns where every tap is inside the row */
    int64_t lo = 0, hi = p->OW;
    for (int64_t kj = 0; kj < p->kw; kj++) {
        int64_t l, h;
        col_range(p->OW, p->W, p->sw, kj * p->dw - p->pw, &l, &h);
        if (l > lo) lo = l;
        if (h < hi) hi = h;
    }
    if (hi < lo) hi = lo;
    const float *rows[DW_MAX_KH];
    dw_row r = {rows, j->w + c * p->kh * p->kw, p->kh, p->kw, p->W, p->sw, p->pw, p->dw,
                j->bias ? j->bias[c] : 0.0f};
    for (int64_t oh = 0; oh < p->OH; oh++) {
        for (int64_t ki = 0; ki < p->kh; ki++) {
            int64_t ih = oh * p->sh - p->ph + ki * p->dh;
            rows[ki] = ih >= 0 && ih < p->H ? x + ih * p->W : NULL;
        }
        float *yr = y + oh * p->OW;
        j->row(&r, yr, p->OW, lo, hi);
        if (j->epi) {
            for (int64_t ow = 0; ow < p->OW; ow++)
                yr[ow] = conv_epi_apply(j->epi, yr[ow], res ? res + oh * p->OW + ow : NULL);
            if (j->epi->act) conv_epi_act(j->epi, yr, p->OW);
        }
    }
}

#ifdef CONV_X86
/* Depthwise on channels-last data, for planes too narrow (or strides and
 * kernels too irregular) for the row kernel's vectors along a row: eight
 * channels per vector, taps as FMAs on whole vectors, no bounds checks.
 * Per image: a zero-padded [Hp, Wp, C] copy of the input and the weights
 * as [taps, C]; one task per output row writes its OW outputs of every
 * channel back to NCHW through the epilogue. */
typedef struct dwc_job {
    const conv_prob *p;
    const float *x;   /* this image, NCHW */
    float *xp;        /* [Hp, Wp, C] */
    const float *wt;  /* [kh*kw, C] */
    const float *bias;
    const conv_epi *epi;
    const float *res; /* this image's residual, or NULL */
    float *y;         /* this image, NCHW */
    int64_t Hp, Wp;
} dwc_job;

static void dwc_pad_row(void *ctx, int64_t r, int thread) {
    (void)thread;
    const dwc_job *j = ctx;
    const conv_prob *p = j->p;
    int64_t C = p->C, HW = p->H * p->W, ih = r - p->ph;
    float *d = j->xp + r * j->Wp * C;
    if (ih < 0 || ih >= p->H) {
        memset(d, 0, sizeof(float) * (size_t)(j->Wp * C));
        return;
    }
    for (int64_t q = 0; q < j->Wp; q++) {
        int64_t iw = q - p->pw;
        float *o = d + q * C;
        if (iw < 0 || iw >= p->W) {
            memset(o, 0, sizeof(float) * (size_t)C);
            continue;
        }
        const float *src = j->x + ih * p->W + iw;
        for (int64_t c = 0; c < C; c++) o[c] = src[c * HW];
    }
}

__attribute__((target("avx2,fma"))) static void dwc_row(void *ctx, int64_t oh, int thread) {
    (void)thread;
    const dwc_job *j = ctx;
    const conv_prob *p = j->p;
    int64_t C = p->C, OW = p->OW, OHW = p->OH * p->OW, kw = p->kw, taps = p->kh * p->kw;
    float tmp[4 * 8];
    for (int64_t c0 = 0; c0 < C; c0 += 8) {
        __m256 b = j->bias ? _mm256_loadu_ps(j->bias + c0) : _mm256_setzero_ps();
        for (int64_t ow0 = 0; ow0 < OW; ow0 += 4) {
            int np = OW - ow0 < 4 ? (int)(OW - ow0) : 4;
            __m256 acc[4] = {b, b, b, b};
            for (int64_t t = 0; t < taps; t++) {
                int64_t ki = t / kw, kj = t % kw;
                __m256 wv = _mm256_loadu_ps(j->wt + t * C + c0);
                const float *xr = j->xp + ((oh * p->sh + ki * p->dh) * j->Wp + ow0 * p->sw + kj * p->dw) * C + c0;
                int64_t step = p->sw * C;
                for (int q = 0; q < np; q++) acc[q] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(xr + q * step), acc[q]);
            }
            for (int q = 0; q < np; q++) _mm256_storeu_ps(tmp + q * 8, acc[q]);
            for (int cc = 0; cc < 8; cc++) {
                int64_t base = (c0 + cc) * OHW + oh * OW + ow0;
                float *yo = j->y + base;
                for (int q = 0; q < np; q++) {
                    float v = tmp[q * 8 + cc];
                    yo[q] = j->epi ? conv_epi_apply(j->epi, v, j->res ? j->res + base + q : NULL) : v;
                }
            }
        }
        if (j->epi && j->epi->act)
            for (int cc = 0; cc < 8; cc++) conv_epi_act(j->epi, j->y + (c0 + cc) * OHW + oh * OW, OW);
    }
}

/* Whether the channels-last kernel serves this depthwise problem better
 * than the row kernel: channels in whole vectors and output rows shorter
 * than two vectors (the row kernel computes those mostly by its scalar
 * border path; on wider rows its copy and transposes cost more than they
 * save: mobilenet_v2 went from 19 to 28 ms with it on every layer). */
static bool dw_channels_last(const conv_prob *p) {
    return cts_cpu_isa() >= CTS_ISA_AVX2 && p->C % 8 == 0 && p->OW < 16;
}

static int conv_depthwise_nhwc(cts_kctx *k, const conv_prob *p, const float *x, const float *w, const float *bias,
                               const conv_epi *epi, float *y) {
    int64_t taps = p->kh * p->kw;
    int64_t Hp = (p->OH - 1) * p->sh + (p->kh - 1) * p->dh + 1;
    int64_t Wp = (p->OW - 1) * p->sw + (p->kw - 1) * p->dw + 1;
    size_t nxp = (size_t)(Hp * Wp * p->C), nwt = (size_t)(taps * p->C);
    int xcls, wcls;
    float *xp = ct_scratch_alloc(nxp * sizeof(float), &xcls), *wt = ct_scratch_alloc(nwt * sizeof(float), &wcls);
    if (!xp || !wt) {
        ct_scratch_free(xp, xcls);
        ct_scratch_free(wt, wcls);
        return cts_err_oom(k->err, "depthwise buffer", nxp * sizeof(float));
    }
    for (int64_t c = 0; c < p->C; c++)
        for (int64_t t = 0; t < taps; t++) wt[t * p->C + c] = w[c * taps + t];
    double flops = 2.0 * (double)(p->C * p->OH * p->OW) * (double)taps;
    cts_pool *pool = flops * (double)p->N < CTS_POOL_MIN_FLOPS ? NULL : k->pool;
    for (int64_t n = 0; n < p->N; n++) {
        int64_t off = n * p->K * p->OH * p->OW;
        dwc_job j = {p, x + n * p->C * p->H * p->W, xp, wt, bias, epi, epi && epi->res ? epi->res + off : NULL,
                     y + off, Hp, Wp};
        cts_pool_parallel_for(nxp < 65536 ? NULL : pool, Hp, dwc_pad_row, &j);
        cts_pool_parallel_for(pool, p->OH, dwc_row, &j);
    }
    ct_scratch_free(xp, xcls);
    ct_scratch_free(wt, wcls);
    return 0;
}
#endif

static void conv_depthwise(cts_kctx *k, const conv_prob *p, const float *x, const float *w, const float *bias,
                           const conv_epi *epi, float *y) {
    dw_job j = {p, x, w, bias, y, pick_dw_row(), epi};
    double flops = 2.0 * (double)(p->N * p->C) * (double)(p->OH * p->OW) * (double)(p->kh * p->kw);
    cts_pool *pool = flops < CTS_POOL_MIN_FLOPS ? NULL : k->pool;
    cts_pool_parallel_for(pool, p->N * p->C, dw_plane, &j);
}

/* im2col of one group of one image for output rows [oh0, oh1): column row
 * (c, ki, kj), column (oh - oh0)*OW + ow. */
typedef struct im2col_job {
    const conv_prob *p;
    const float *x;   /* the group's first input channel */
    float *cols;
    int64_t oh0, oh1;
} im2col_job;

static void im2col_row(void *ctx, int64_t r, int thread) {
    (void)thread;
    const im2col_job *j = ctx;
    const conv_prob *p = j->p;
    int64_t kk = p->kh * p->kw;
    int64_t c = r / kk, ki = (r % kk) / p->kw, kj = r % p->kw;
    int64_t ncol = (j->oh1 - j->oh0) * p->OW;
    float *d = j->cols + r * ncol;
    const float *xc = j->x + c * p->H * p->W;
    int64_t off = kj * p->dw - p->pw, lo, hi;
    col_range(p->OW, p->W, p->sw, off, &lo, &hi);
    for (int64_t oh = j->oh0; oh < j->oh1; oh++, d += p->OW) {
        int64_t ih = oh * p->sh - p->ph + ki * p->dh;
        if (ih < 0 || ih >= p->H) {
            memset(d, 0, sizeof(float) * (size_t)p->OW);
            continue;
        }
        const float *xr = xc + ih * p->W;
        if (lo) memset(d, 0, sizeof(float) * (size_t)lo);
        if (p->sw == 1) {
            memcpy(d + lo, xr + lo + off, sizeof(float) * (size_t)(hi - lo));
        } else {
            for (int64_t ow = lo; ow < hi; ow++) d[ow] = xr[ow * p->sw + off];
        }
        if (hi < p->OW) memset(d + hi, 0, sizeof(float) * (size_t)(p->OW - hi));
    }
}

#define COLS_BUDGET (4 << 20) /* floats in the im2col buffer (16 MB) */

/* The GEMMs of a convolution with g's epilogue set: on the input as it lies
 * (1x1, stride 1, no padding) or on im2col blocks of rows. */
static int conv_gemm(cts_kctx *k, const conv_prob *p, const float *x, const float *w, const float *bias,
                     cts_sgemm_args *g, float *y) {
    int64_t Cg = p->C / p->G, Kg = p->K / p->G;
    int64_t Kd = Cg * p->kh * p->kw, OHW = p->OH * p->OW, HW = p->H * p->W;
    bool pointwise = p->kh == 1 && p->kw == 1 && p->sh == 1 && p->sw == 1 && p->ph == 0 && p->pw == 0;
    g->M = Kg;
    g->K = Kd;
    g->lda = Kd;
    g->ldc = OHW;
    if (pointwise) {
        /* the input already is the column matrix [C_g, H*W] */
        g->N = OHW;
        g->ldb = HW;
        for (int64_t gi = 0; gi < p->G; gi++) {
            g->A = w + gi * Kg * Kd;
            g->B = x + gi * Cg * HW;
            g->C = y + gi * Kg * OHW;
            g->bias_m = bias ? bias + gi * Kg : NULL;
            if (cts_sgemm_batched(g, p->N, 0, p->C * HW, p->K * OHW, k->pool, k->err)) return -1;
        }
        return 0;
    }
    int64_t rows = Kd ? COLS_BUDGET / (Kd * p->OW) : p->OH;
    if (rows < 1) rows = 1;
    if (rows > p->OH) rows = p->OH;
    size_t nb = (size_t)(Kd * rows * p->OW);
    int ccls;
    float *cols = ct_scratch_alloc(nb * sizeof(float), &ccls);
    if (!cols) return cts_err_oom(k->err, "im2col buffer", nb * sizeof(float));
    int rc = 0;
    for (int64_t n = 0; n < p->N && !rc; n++) {
        for (int64_t gi = 0; gi < p->G && !rc; gi++) {
            for (int64_t oh0 = 0; oh0 < p->OH && !rc; oh0 += rows) {
                int64_t oh1 = oh0 + rows < p->OH ? oh0 + rows : p->OH;
                im2col_job j = {p, x + (n * p->C + gi * Cg) * HW, cols, oh0, oh1};
                double bytes = (double)Kd * (double)(oh1 - oh0) * (double)p->OW;
                cts_pool_parallel_for(bytes < 65536.0 ? NULL : k->pool, Kd, im2col_row, &j);
                g->N = (oh1 - oh0) * p->OW;
                g->A = w + gi * Kg * Kd;
                g->B = cols;
                g->ldb = g->N;
                g->C = y + (n * p->K + gi * Kg) * OHW + oh0 * p->OW;
                g->bias_m = bias ? bias + gi * Kg : NULL;
                rc = cts_sgemm(g, k->pool, k->err);
            }
        }
    }
    ct_scratch_free(cols, ccls);
    return rc;
}


typedef struct act_job {
    const conv_epi *epi;
    float *y;
    int64_t n; /* values per task */
} act_job;

static void act_plane(void *ctx, int64_t t, int thread) {
    (void)thread;
    const act_job *j = ctx;
    conv_epi_act(j->epi, j->y + t * j->n, j->n);
}

static int conv_im2col_gemm(cts_kctx *k, const conv_prob *p, const float *x, const float *w, const float *bias,
                            const conv_epi *epi, float *y) {
    int64_t OHW = p->OH * p->OW;
    cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
    if (epi) {
        /* the residual is C's starting value; the clamp is the GEMM's */
        if (epi->res) {
            memcpy(y, epi->res, sizeof(float) * (size_t)(p->N * p->K * OHW));
            g.beta = 1.0f;
        }
        g.clamp = true;
        g.clamp_lo = epi->lo;
        g.clamp_hi = epi->hi;
    }
    int rc = conv_gemm(k, p, x, w, bias, &g, y);
    if (!rc && epi && epi->act) {
        /* the activation over each output channel's plane, after the GEMM */
        act_job aj = {epi, y, OHW};
        cts_pool_parallel_for(OHW * p->N * p->K < 65536 ? NULL : k->pool, p->N * p->K, act_plane, &aj);
    }
    return rc;
}

/* Transposed: cols [Kg*kh*kw, H*W] = W_g^T . X_g, then col2im into y. */
static int conv_transposed_f32(cts_kctx *k, const conv_prob *p, const float *x, const float *w, const float *bias,
                               float *y) {
    int64_t Cg = p->C / p->G, Kg = p->K / p->G, kk = p->kh * p->kw;
    int64_t HW = p->H * p->W, OHW = p->OH * p->OW;
    int64_t Mr = Kg * kk;
    size_t nb = (size_t)(Mr * HW);
    int ccls;
    float *cols = ct_scratch_alloc(nb * sizeof(float), &ccls);
    if (!cols) return cts_err_oom(k->err, "col2im buffer", nb * sizeof(float));
    for (int64_t n = 0; n < p->N; n++)
        for (int64_t co = 0; co < p->K; co++) {
            float b = bias ? bias[co] : 0.0f;
            float *yp = y + (n * p->K + co) * OHW;
            for (int64_t i = 0; i < OHW; i++) yp[i] = b;
        }
    int rc = 0;
    for (int64_t n = 0; n < p->N && !rc; n++) {
        for (int64_t gi = 0; gi < p->G && !rc; gi++) {
            cts_sgemm_args g = CTS_SGEMM_ARGS_INIT;
            g.M = Mr;
            g.N = HW;
            g.K = Cg;
            g.A = w + gi * Cg * Mr; /* [Cg, Mr] row-major, read transposed */
            g.lda = Mr;
            g.trans_a = true;
            g.B = x + (n * p->C + gi * Cg) * HW;
            g.ldb = HW;
            g.C = cols;
            g.ldc = HW;
            if ((rc = cts_sgemm(&g, k->pool, k->err))) break;
            for (int64_t co = 0; co < Kg; co++) {
                float *yp = y + (n * p->K + gi * Kg + co) * OHW;
                for (int64_t ki = 0; ki < p->kh; ki++)
                    for (int64_t kj = 0; kj < p->kw; kj++) {
                        const float *cr = cols + ((co * p->kh + ki) * p->kw + kj) * HW;
                        for (int64_t ih = 0; ih < p->H; ih++) {
                            int64_t oh = ih * p->sh - p->ph + ki * p->dh;
                            if (oh < 0 || oh >= p->OH) continue;
                            float *yr = yp + oh * p->OW;
                            const float *c2 = cr + ih * p->W;
                            for (int64_t iw = 0; iw < p->W; iw++) {
                                int64_t ow = iw * p->sw - p->pw + kj * p->dw;
                                if (ow >= 0 && ow < p->OW) yr[ow] += c2[iw];
                            }
                        }
                    }
            }
        }
    }
    ct_scratch_free(cols, ccls);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* reference loops for the other dtypes                                       */

/* Accumulates in double (floating dtypes) or wrapping uint64 (integers). */
/* acc: ny zeroed 8-byte accumulators. */
static void conv_reference(const conv_prob *p, bool transposed, ct_dtype dt, const char *x, const char *w,
                           const char *bias, char *y, void *acc) {
    int esz = ct_dtype_size(dt);
    bool fl = ct_dtype_is_float(dt);
    int64_t Cg = p->C / p->G, Kg = p->K / p->G;
    int64_t ny = p->N * p->K * p->OH * p->OW;
    double *accf = fl ? acc : NULL;
    uint64_t *acci = fl ? NULL : acc;
#define LD_F(ptr, i) ct_load_f64((ptr) + (i) * esz, dt)
#define LD_I(ptr, i) ((uint64_t)ct_load_i64((ptr) + (i) * esz, dt))
    for (int64_t n = 0; n < p->N; n++)
        for (int64_t gi = 0; gi < p->G; gi++)
            for (int64_t co = 0; co < Kg; co++) {
                int64_t oc = gi * Kg + co;
                for (int64_t ci = 0; ci < Cg; ci++) {
                    int64_t ic = gi * Cg + ci;
                    for (int64_t ki = 0; ki < p->kh; ki++)
                        for (int64_t kj = 0; kj < p->kw; kj++) {
                            /* weight [K, Cg, kh, kw] or, transposed, [C, Kg, kh, kw] */
                            int64_t wi = transposed ? ((ic * Kg + co) * p->kh + ki) * p->kw + kj
                                                    : ((oc * Cg + ci) * p->kh + ki) * p->kw + kj;
                            double wf = fl ? LD_F(w, wi) : 0;
                            uint64_t wn = fl ? 0 : LD_I(w, wi);
                            if (!transposed) {
                                for (int64_t oh = 0; oh < p->OH; oh++) {
                                    int64_t ih = oh * p->sh - p->ph + ki * p->dh;
                                    if (ih < 0 || ih >= p->H) continue;
                                    for (int64_t ow = 0; ow < p->OW; ow++) {
                                        int64_t iw = ow * p->sw - p->pw + kj * p->dw;
                                        if (iw < 0 || iw >= p->W) continue;
                                        int64_t xi = ((n * p->C + ic) * p->H + ih) * p->W + iw;
                                        int64_t yi = ((n * p->K + oc) * p->OH + oh) * p->OW + ow;
                                        if (fl) accf[yi] += wf * LD_F(x, xi);
                                        else acci[yi] += wn * LD_I(x, xi);
                                    }
                                }
                            } else {
                                for (int64_t ih = 0; ih < p->H; ih++) {
                                    int64_t oh = ih * p->sh - p->ph + ki * p->dh;
                                    if (oh < 0 || oh >= p->OH) continue;
                                    for (int64_t iw = 0; iw < p->W; iw++) {
                                        int64_t ow = iw * p->sw - p->pw + kj * p->dw;
                                        if (ow < 0 || ow >= p->OW) continue;
                                        int64_t xi = ((n * p->C + ic) * p->H + ih) * p->W + iw;
                                        int64_t yi = ((n * p->K + oc) * p->OH + oh) * p->OW + ow;
                                        if (fl) accf[yi] += wf * LD_F(x, xi);
                                        else acci[yi] += wn * LD_I(x, xi);
                                    }
                                }
                            }
                        }
                }
            }
    int64_t OHW = p->OH * p->OW;
    for (int64_t i = 0; i < ny; i++) {
        int64_t oc = (i / OHW) % p->K;
        if (fl) {
            double v = accf[i] + (bias ? LD_F(bias, oc) : 0.0);
            ct_store_f64(y + i * esz, dt, v);
        } else {
            uint64_t v = acci[i] + (bias ? LD_I(bias, oc) : 0);
            ct_store_i64(y + i * esz, dt, (int64_t)v);
        }
    }
#undef LD_F
#undef LD_I
}

/* ------------------------------------------------------------------------ */
/* _convolution                                                              */

/* The direct kernel with w's cached packing (made at load for a module's
 * weights, or now for one), or a packing made for this call alone (a
 * weight computed at run time). */
static int conv_direct(cts_kctx *k, const conv_prob *p, const ct_tensor *w, const float *x, const float *bias,
                       const conv_epi *epi, float *y) {
    const cts_conv_packed *pk = cts_conv_cached_weight(w, p->G, w->storage->weight);
    cts_conv_packed *own = NULL;
    if (!pk) {
        own = cts_conv_pack(CTS_GEMM_AUTO, ct_data(w), p->K, p->C / p->G, p->kh, p->kw, p->G, k->err);
        if (!own) return -1;
        pk = own;
    }
    int rc = cts_conv_direct(p, pk, x, bias, epi, y, k->pool, k->err);
    cts_conv_packed_free(own);
    return rc;
}

/* Whether a residual (NULL: none) can be read in the kernels for an
 * output ys (the 2-D view of a dim-D convolution's output). */
static bool fuse_fits(const ct_tensor *r, const int64_t ys[4], int dim) {
    if (!r) return true;
    if (r->dtype != CT_FLOAT32 || !ct_is_contiguous(r)) return false;
    if (dim == 1) return r->ndim == 3 && ys[2] == 1 && r->sizes[0] == ys[0] && r->sizes[1] == ys[1] && r->sizes[2] == ys[3];
    return r->ndim == 4 && !memcmp(r->sizes, ys, 4 * sizeof *ys);
}

/* Runs a checked 2-D problem: x [N,C,H,W], w [K,C/G,kh,kw] (transposed:
 * [C,K/G,kh,kw]), all contiguous and of one dtype; returns y. */
static ct_tensor *conv_run(cts_kctx *k, ct_tensor *x, ct_tensor *w, ct_tensor *bias, const conv_params *cp) {
    conv_prob p;
    p.N = x->sizes[0];
    p.C = x->sizes[1];
    p.H = x->sizes[2];
    p.W = x->sizes[3];
    p.G = cp->groups;
    p.K = cp->transposed ? w->sizes[1] * p.G : w->sizes[0];
    p.kh = w->sizes[2];
    p.kw = w->sizes[3];
    p.sh = cp->stride[0];
    p.sw = cp->stride[1];
    p.ph = cp->pad[0];
    p.pw = cp->pad[1];
    p.dh = cp->dil[0];
    p.dw = cp->dil[1];
    if (!cp->transposed) {
        p.OH = (p.H + cp->pad[0] + cp->pad_end[0] - (p.dh * (p.kh - 1) + 1)) / p.sh + 1;
        p.OW = (p.W + cp->pad[1] + cp->pad_end[1] - (p.dw * (p.kw - 1) + 1)) / p.sw + 1;
    } else {
        p.OH = (p.H - 1) * p.sh - 2 * p.ph + p.dh * (p.kh - 1) + cp->out_pad[0] + 1;
        p.OW = (p.W - 1) * p.sw - 2 * p.pw + p.dw * (p.kw - 1) + cp->out_pad[1] + 1;
    }
    int64_t ys[4] = {p.N, p.K, p.OH, p.OW};
    ct_dtype dt = x->dtype;
    ct_tensor *y = ct_tensor_empty(dt, 4, ys, k->err);
    if (!y) return NULL;
    int64_t ny = ct_numel(y);
    if (ny == 0) return y;
    const char *bp = bias ? ct_data(bias) : NULL;
    if (ct_numel(x) == 0 || ct_numel(w) == 0) {
        /* no products to sum: the bias alone */
        int esz = ct_dtype_size(dt);
        for (int64_t i = 0; i < ny; i++) {
            char *e = (char *)ct_data(y) + i * esz;
            int64_t oc = (i / (p.OH * p.OW)) % p.K;
            if (!bp) memset(e, 0, (size_t)esz);
            else memcpy(e, bp + oc * esz, (size_t)esz);
        }
        return y;
    }
    int rc = 0;
    if (dt == CT_FLOAT32) {
        const float *xf = ct_data(x), *wf = ct_data(w), *bf = (const float *)bp;
        float *yf = ct_data(y);
        conv_epi e, *epi = NULL;
        if (cp->fuse && !cp->transposed && fuse_fits(cp->fuse->res, ys, cp->dim)) {
            e.res = cp->fuse->res ? ct_data(cp->fuse->res) : NULL;
            e.lo = cp->fuse->lo;
            e.hi = cp->fuse->hi;
            e.act = cts_act_f32(cp->fuse->act);
            epi = &e;
            cp->fuse->applied = true;
        }
        if (cp->transposed) rc = conv_transposed_f32(k, &p, xf, wf, bf, yf);
        else if (p.G == p.C && p.K == p.C && p.G > 1 && p.kh <= DW_MAX_KH) {
#ifdef CONV_X86
            if (dw_channels_last(&p)) rc = conv_depthwise_nhwc(k, &p, xf, wf, bf, epi, yf);
            else
#endif
                conv_depthwise(k, &p, xf, wf, bf, epi, yf);
        }
        else if (cts_conv_direct_suits(p.K, p.C / p.G, p.kh, p.kw, p.G)) rc = conv_direct(k, &p, w, xf, bf, epi, yf);
        else rc = conv_im2col_gemm(k, &p, xf, wf, bf, epi, yf);
    } else {
        void *acc = calloc((size_t)ny, 8);
        if (!acc) {
            ct_tensor_release(y);
            cts_err_oom(k->err, "convolution accumulator", (size_t)ny * 8);
            return NULL;
        }
        conv_reference(&p, cp->transposed, dt, ct_data(x), ct_data(w), bp, ct_data(y), acc);
        free(acc);
    }
    if (rc) {
        ct_tensor_release(y);
        return NULL;
    }
    return y;
}

/* at::_convolution: the checks, then conv_run on 2-D views. */
static ct_tensor *convolution_impl(cts_kctx *k, ct_tensor *input, ct_tensor *weight, ct_tensor *bias,
                                   const ilist *stride, const ilist *padding, const ilist *dilation, bool transposed,
                                   const ilist *output_padding, int64_t groups, bool bias_any_dtype,
                                   const int64_t *pad_end /* NULL: symmetric */, conv_fuse *fuse) {
    int kdim = weight->ndim;
    int dim = kdim - 2;
    if (dim <= 0) {
        cts_err_set(k->err, "weight should have at least three dimensions");
        return NULL;
    }
    if (groups <= 0) {
        cts_err_set(k->err, "non-positive groups is not supported");
        return NULL;
    }
    if (dim > 3) {
        cts_err_set(k->err, "convolution with %d spatial dimensions is not supported", dim);
        return NULL;
    }
    conv_params cp;
    memset(&cp, 0, sizeof cp);
    cp.dim = dim;
    cp.groups = groups;
    cp.transposed = transposed;
    cp.bias_any_dtype = bias_any_dtype;
    cp.fuse = fuse;
    if (expand_param(k, stride, "stride", dim, cp.stride) || expand_param(k, padding, "padding", dim, cp.pad) ||
        expand_param(k, dilation, "dilation", dim, cp.dil) ||
        expand_param(k, output_padding, "output_padding", dim, cp.out_pad))
        return NULL;
    for (int i = 0; i < dim; i++) cp.pad_end[i] = pad_end ? pad_end[i] : cp.pad[i];
    if (check_shape_forward(k, input, weight, bias, &cp)) return NULL;
    if (dim == 3) {
        cts_err_set(k->err, "cts: 3-D convolution (aten::_convolution with a 5-D weight) is not implemented");
        return NULL;
    }
    /* 1-D as 2-D with a unit height */
    if (dim == 1) {
        cp.stride[1] = cp.stride[0], cp.stride[0] = 1;
        cp.pad[1] = cp.pad[0], cp.pad[0] = 0;
        cp.pad_end[1] = cp.pad_end[0], cp.pad_end[0] = 0;
        cp.dil[1] = cp.dil[0], cp.dil[0] = 1;
        cp.out_pad[1] = cp.out_pad[0], cp.out_pad[0] = 0;
    }
    if (cp.dil[0] <= 0 || cp.dil[1] <= 0) {
        cts_err_set(k->err, "dilation should be greater than zero, but got [%lld, %lld]", (long long)cp.dil[0],
                    (long long)cp.dil[1]);
        return NULL;
    }
    ct_dtype dt = input->dtype;
    if (weight->dtype != dt) {
        cts_err_set(k->err, "expected scalar type %s but found %s", st(dt), st(weight->dtype));
        return NULL;
    }
    if (bias && bias->dtype != dt && !bias_any_dtype) {
        if (transposed) cts_err_set(k->err, "expected scalar type %s but found %s", st(dt), st(bias->dtype));
        else
            cts_err_set(k->err, "Input type (%s) and bias type (%s) should be the same", meta_name(dt),
                        meta_name(bias->dtype));
        return NULL;
    }
    if (dt == CT_FLOAT16 || dt == CT_BOOL) {
        const char *kn = transposed ? "slow_conv_transpose2d_out_cpu"
                         : (cp.dil[0] != 1 || cp.dil[1] != 1) ? "slow_conv_dilated<>"
                                                                : "slow_conv2d_cpu";
        cts_err_set(k->err, "\"%s\" not implemented for '%s'", kn, st(dt));
        return NULL;
    }
    if (transposed) {
        if (!((cp.out_pad[1] < cp.stride[1] || cp.out_pad[1] < cp.dil[1]) &&
              (cp.out_pad[0] < cp.stride[0] || cp.out_pad[0] < cp.dil[0]))) {
            cts_err_set(k->err,
                        "output padding must be smaller than either stride or dilation, but got "
                        "output_padding_height: %lld output_padding_width: %lld stride_height: %lld stride_width: "
                        "%lld dilation_height: %lld dilation_width: %lld",
                        (long long)cp.out_pad[0], (long long)cp.out_pad[1], (long long)cp.stride[0],
                        (long long)cp.stride[1], (long long)cp.dil[0], (long long)cp.dil[1]);
            return NULL;
        }
        int64_t h = dim == 1 ? 1 : input->sizes[2], wd = input->sizes[dim == 1 ? 2 : 3];
        int64_t kh = dim == 1 ? 1 : weight->sizes[2], kw = weight->sizes[dim == 1 ? 2 : 3];
        int64_t oh = (h - 1) * cp.stride[0] - 2 * cp.pad[0] + cp.dil[0] * (kh - 1) + cp.out_pad[0] + 1;
        int64_t ow = (wd - 1) * cp.stride[1] - 2 * cp.pad[1] + cp.dil[1] * (kw - 1) + cp.out_pad[1] + 1;
        if (oh < 1 || ow < 1) {
            cts_err_set(k->err,
                        "Given input size per channel: (%lld x %lld). Calculated output size per channel: (%lld x "
                        "%lld). Output size is too small",
                        (long long)h, (long long)wd, (long long)oh, (long long)ow);
            return NULL;
        }
    }
    ct_tensor *x = NULL, *w = NULL, *b = NULL, *x4 = NULL, *w4 = NULL, *y = NULL, *res = NULL;
    if (!(x = ct_contiguous(input, k->err)) || !(w = ct_contiguous(weight, k->err))) goto done;
    if (bias) {
        b = bias->dtype == dt ? ct_contiguous(bias, k->err) : ct_to_dtype(bias, dt, k->err);
        if (!b) goto done;
    }
    if (dim == 1) {
        if (!(x4 = ct_unsqueeze(x, 2, k->err)) || !(w4 = ct_unsqueeze(w, 2, k->err))) goto done;
    } else {
        x4 = x;
        w4 = w;
        ct_tensor_retain(x4);
        ct_tensor_retain(w4);
    }
    if (!(y = conv_run(k, x4, w4, b, &cp))) goto done;
    if (dim == 1) res = ct_squeeze_dim(y, 2, k->err);
    else {
        res = y;
        y = NULL;
    }
done:
    ct_tensor_release(x);
    ct_tensor_release(w);
    ct_tensor_release(b);
    ct_tensor_release(x4);
    ct_tensor_release(w4);
    ct_tensor_release(y);
    return res;
}

/* batchify: adds the batch dim to unbatched input. */
static int batchify(cts_kctx *k, ct_tensor *x, int nsp, const char *fname, ct_tensor **out, bool *batched) {
    int nb = nsp + 1;
    *batched = x->ndim == nb + 1;
    if (x->ndim != nb && !*batched) {
        char b[256];
        return cts_err_set(k->err, "Expected %dD (unbatched) or %dD (batched) input to %s, but got input of size: %s",
                           nb, nb + 1, fname, ct_shape_str(x->ndim, x->sizes, b, sizeof b));
    }
    if (*batched) {
        ct_tensor_retain(x);
        *out = x;
        return 0;
    }
    *out = ct_unsqueeze(x, 0, k->err);
    return *out ? 0 : -1;
}

static int finish(cts_kctx *k, ct_tensor *y, bool batched, cv_value *outs) {
    if (!y) return -1;
    if (!batched) {
        ct_tensor *s = ct_squeeze_dim(y, 0, k->err);
        ct_tensor_release(y);
        if (!s) return -1;
        y = s;
    }
    outs[0] = cv_tensor(y);
    return 0;
}

/* aten::_convolution_mode's "same" padding (stride 1 only) */
static ct_tensor *conv_same(cts_kctx *k, ct_tensor *x, ct_tensor *w, ct_tensor *bias, const ilist *stride,
                            const ilist *dilation, int64_t groups, bool bias_any) {
    int kd = w->ndim;
    if (kd <= 2) {
        cts_err_set(k->err, "weight should have at least three dimensions");
        return NULL;
    }
    int dim = kd - 2;
    if (kd != x->ndim) {
        char a[256], b[256];
        cts_err_set(k->err,
                    "Expected %d-dimensional input for %d-dimensional weight%s, but got %d-dimensional input of size "
                    "%s instead",
                    kd, kd, ct_shape_str(w->ndim, w->sizes, a, sizeof a), x->ndim,
                    ct_shape_str(x->ndim, x->sizes, b, sizeof b));
        return NULL;
    }
    if (dim > 3) {
        cts_err_set(k->err, "convolution with %d spatial dimensions is not supported", dim);
        return NULL;
    }
    if (stride->n != dim && stride->n != 1) {
        cts_err_set(k->err, "stride cannot broadcast to %d dimensions", dim);
        return NULL;
    }
    if (dilation->n != dim && dilation->n != 1) {
        cts_err_set(k->err, "dilation cannot broadcast to %d dimensions", dim);
        return NULL;
    }
    for (int i = 0; i < stride->n; i++)
        if (stride->v[i] != 1) {
            cts_err_set(k->err, "padding='same' is not supported for strided convolutions");
            return NULL;
        }
    ilist pl = {dim, {0}}, op = {dim, {0}};
    int64_t pr[3] = {0, 0, 0};
    for (int i = 0; i < dim; i++) {
        int64_t d = dilation->n == 1 ? dilation->v[0] : dilation->v[i];
        int64_t total = d * (w->sizes[i + 2] - 1);
        pl.v[i] = total / 2;
        pr[i] = total - pl.v[i];
    }
    return convolution_impl(k, x, w, bias, stride, &pl, dilation, false, &op, groups, bias_any, pr, NULL);
}

/* aten::_convolution_mode(input, weight, bias, stride, str padding, dilation, groups) */
static ct_tensor *conv_mode(cts_kctx *k, ct_tensor *x, ct_tensor *w, ct_tensor *bias, const ilist *stride,
                            const char *padding, const ilist *dilation, int64_t groups) {
    bool bias_any = w->ndim == 3;
    if (!strcmp(padding, "same")) return conv_same(k, x, w, bias, stride, dilation, groups, bias_any);
    if (!strcmp(padding, "valid")) {
        ilist z = {1, {0}};
        return convolution_impl(k, x, w, bias, stride, &z, dilation, false, &z, groups, bias_any, NULL, NULL);
    }
    cts_err_set(k->err, "Invalid padding string: '%s'", padding);
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* kernels                                                                   */

/* _convolution / convolution: args input, weight, bias, stride, padding,
 * dilation, transposed, output_padding, groups, ... */
static int k_convolution(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    const char *op = "_convolution";
    ct_tensor *x = NULL, *w = NULL, *b = NULL;
    ilist s, p, d, o;
    bool tr = false;
    int64_t g = 1;
    if (arg_tensor(k, args, 0, op, "input", &x) || arg_tensor(k, args, 1, op, "weight", &w) ||
        arg_opt_tensor(k, args, 2, op, "bias", &b) || arg_ilist(k, args, 3, op, "stride", &s) ||
        arg_ilist(k, args, 4, op, "padding", &p) || arg_ilist(k, args, 5, op, "dilation", &d) ||
        arg_bool(k, args, 6, op, "transposed", &tr) || arg_ilist(k, args, 7, op, "output_padding", &o) ||
        arg_int(k, args, 8, op, "groups", &g))
        return -1;
    ct_tensor *y = convolution_impl(k, x, w, b, &s, &p, &d, tr, &o, g, w->ndim == 3, NULL, NULL);
    return finish(k, y, true, outs);
}

static int conv_nd(cts_kctx *k, const cv_value *args, int nsp, const char *fname, cv_value *outs) {
    ct_tensor *x = NULL, *w = NULL, *b = NULL, *xb = NULL;
    ilist s, d;
    int64_t g = 1;
    bool batched;
    if (arg_tensor(k, args, 0, fname, "input", &x) || arg_tensor(k, args, 1, fname, "weight", &w) ||
        arg_opt_tensor(k, args, 2, fname, "bias", &b) || arg_ilistn(k, args, 3, fname, "stride", nsp, &s) ||
        arg_ilistn(k, args, 5, fname, "dilation", nsp, &d) || arg_int(k, args, 6, fname, "groups", &g))
        return -1;
    ct_tensor *y = NULL;
    if (args[4].tag == CV_STR) {
        if (batchify(k, x, nsp, fname, &xb, &batched)) return -1;
        y = conv_mode(k, xb, w, b, &s, args[4].u.s->data, &d, g);
    } else {
        ilist p, o = {1, {0}};
        if (arg_ilistn(k, args, 4, fname, "padding", nsp, &p) || batchify(k, x, nsp, fname, &xb, &batched))
            return -1;
        y = convolution_impl(k, xb, w, b, &s, &p, &d, false, &o, g, w->ndim == 3, NULL, NULL);
    }
    ct_tensor_release(xb);
    return finish(k, y, batched, outs);
}

static int k_conv1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    return conv_nd(k, args, 1, "conv1d", outs);
}

static int k_conv2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    return conv_nd(k, args, 2, "conv2d", outs);
}

static int k_convolution_mode(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    const char *op = "_convolution_mode";
    ct_tensor *x = NULL, *w = NULL, *b = NULL;
    ilist s, d;
    int64_t g = 1;
    if (arg_tensor(k, args, 0, op, "input", &x) || arg_tensor(k, args, 1, op, "weight", &w) ||
        arg_opt_tensor(k, args, 2, op, "bias", &b) || arg_ilist(k, args, 3, op, "stride", &s) ||
        arg_ilist(k, args, 5, op, "dilation", &d) || arg_int(k, args, 6, op, "groups", &g))
        return -1;
    if (args[4].tag != CV_STR) return cts_err_set(k->err, "%s: expected a str for argument 'padding'", op);
    return finish(k, conv_mode(k, x, w, b, &s, args[4].u.s->data, &d, g), true, outs);
}

/* An op of the table run on y in place (the epilogue's fallback). */
static int run_inplace(cts_kctx *k, const char *key, const cv_value *args, int nargs) {
    cts_kernel_fn fn = cts_op_find_kernel(key, NULL);
    if (!fn) return cts_err_set(k->err, "conv_act: %s has no kernel", key);
    cv_value out;
    if (fn(k, args, nargs, &out)) return -1;
    cv_release(out);
    return 0;
}

/* cts::conv_act(input, weight, bias, stride, padding, dilation, groups,
 * unbatched, residual, act, min, max) (passes/fuse_conv.c): a convolution
 * (as conv1d/conv2d when `unbatched` inputs are allowed, as _convolution
 * otherwise), then residual added in place (add_), the result clamped to
 * [min, max] and the activation `act` (act.h) applied: in the kernels'
 * epilogue when conv_run can, with add_, clamp_ and the activation's own
 * in-place op otherwise. */
static int k_conv_act(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    const char *op = "conv_act";
    ct_tensor *x = NULL, *w = NULL, *b = NULL, *r = NULL, *xb = NULL;
    ilist s, p, d, o = {1, {0}};
    int64_t g = 1, act = 0;
    bool unbatched = false, batched = true;
    if (arg_tensor(k, args, 0, op, "input", &x) || arg_tensor(k, args, 1, op, "weight", &w) ||
        arg_opt_tensor(k, args, 2, op, "bias", &b) || arg_ilist(k, args, 3, op, "stride", &s) ||
        arg_ilist(k, args, 4, op, "padding", &p) || arg_ilist(k, args, 5, op, "dilation", &d) ||
        arg_int(k, args, 6, op, "groups", &g) || arg_bool(k, args, 7, op, "unbatched", &unbatched) ||
        arg_opt_tensor(k, args, 8, op, "residual", &r) || arg_int(k, args, 9, op, "act", &act))
        return -1;
    if (args[10].tag != CV_FLOAT || args[11].tag != CV_FLOAT || act < 0 || act >= CTS_ACT__COUNT)
        return cts_err_set(k->err, "conv_act: bad activation arguments");
    static const char *const names[] = {"conv1d", "conv2d", "conv3d"};
    int nsp = w->ndim - 2;
    if (unbatched && nsp >= 1 && nsp <= 3) {
        if (batchify(k, x, nsp, names[nsp - 1], &xb, &batched)) return -1;
    } else {
        ct_tensor_retain(x);
        xb = x;
    }
    conv_fuse f = {r, (float)args[10].u.f, (float)args[11].u.f, (int)act, false};
    /* the kernels see an unbatched input with a batch of one: a residual is
     * then checked against that shape, so it is added by add_ afterwards */
    conv_fuse *fp = r && !batched ? NULL : &f;
    ct_tensor *y = convolution_impl(k, xb, w, b, &s, &p, &d, false, &o, g, w->ndim == 3, NULL, fp);
    ct_tensor_release(xb);
    if (finish(k, y, batched, outs)) return -1;
    if (f.applied) return 0;
    cv_value add[3] = {outs[0], r ? cv_tensor(r) : cv_none(), cv_int(1)};
    cv_value clamp[3] = {outs[0], isinf(args[10].u.f) ? cv_none() : args[10], isinf(args[11].u.f) ? cv_none() : args[11]};
    const char *act_op = cts_act_inplace_op((int)act);
    if ((r && run_inplace(k, "aten::add_.Tensor", add, 3)) ||
        ((clamp[1].tag != CV_NONE || clamp[2].tag != CV_NONE) && run_inplace(k, "aten::clamp_", clamp, 3)) ||
        (act_op && run_inplace(k, act_op, outs, 1))) {
        cv_release(outs[0]);
        return -1;
    }
    return 0;
}

/* conv_transpose{1,2}d(input, weight, bias, stride, padding, output_padding, groups, dilation) */
static int conv_transpose_nd(cts_kctx *k, const cv_value *args, int nsp, const char *fname, cv_value *outs) {
    ct_tensor *x = NULL, *w = NULL, *b = NULL, *xb = NULL;
    ilist s, p, o, d;
    int64_t g = 1;
    bool batched;
    if (arg_tensor(k, args, 0, fname, "input", &x) || arg_tensor(k, args, 1, fname, "weight", &w) ||
        arg_opt_tensor(k, args, 2, fname, "bias", &b) || arg_ilistn(k, args, 3, fname, "stride", nsp, &s) ||
        arg_ilistn(k, args, 4, fname, "padding", nsp, &p) ||
        arg_ilistn(k, args, 5, fname, "output_padding", nsp, &o) || arg_int(k, args, 6, fname, "groups", &g) ||
        arg_ilistn(k, args, 7, fname, "dilation", nsp, &d))
        return -1;
    if (batchify(k, x, nsp, fname, &xb, &batched)) return -1;
    ct_tensor *y = convolution_impl(k, xb, w, b, &s, &p, &d, true, &o, g, false, NULL, NULL);
    ct_tensor_release(xb);
    return finish(k, y, batched, outs);
}

static int k_conv_transpose1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    return conv_transpose_nd(k, args, 1, "conv_transpose1d", outs);
}

static int k_conv_transpose2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)nargs;
    return conv_transpose_nd(k, args, 2, "conv_transpose2d", outs);
}

/* ---- load-time packing (op.h's prepack hooks) ---- */

/* Packs a module's weight (args[1]) for the direct kernel when the call's
 * groups (args[gi]) are known at load and, where the op has the flag
 * (args[ti], ti >= 0), the convolution is known not transposed.  1-D
 * weights get the unit-height view conv_run sees. */
static void prepack_weight(const cv_value *args, int nargs, int gi, int ti) {
    if (nargs <= gi || args[1].tag != CV_TENSOR || args[gi].tag != CV_INT) return;
    if (ti >= 0 && !(args[ti].tag == CV_BOOL && !args[ti].u.b)) return;
    ct_tensor *w = args[1].u.t;
    if (!w->storage->weight || w->dtype != CT_FLOAT32) return;
    if (w->ndim == 4) {
        cts_conv_cached_weight(w, args[gi].u.i, true);
    } else if (w->ndim == 3) {
        cts_err e = {0};
        ct_tensor *w4 = ct_unsqueeze(w, 2, &e);
        if (w4) cts_conv_cached_weight(w4, args[gi].u.i, true);
        ct_tensor_release(w4);
    }
}

static void prepack_convolution(const cv_value *args, int nargs) { prepack_weight(args, nargs, 8, 6); }
static void prepack_conv_nd(const cv_value *args, int nargs) { prepack_weight(args, nargs, 6, -1); }

/* clang-format off */
const cts_op_def cts_ops_conv[] = {
    {"aten::_convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled, bool allow_tf32) -> Tensor", k_convolution},
    {"aten::_convolution.deprecated(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups, bool benchmark, bool deterministic, bool cudnn_enabled) -> Tensor", k_convolution},
    {"aten::convolution(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, int[] output_padding, int groups) -> Tensor", k_convolution},
    {"aten::_convolution_mode(Tensor input, Tensor weight, Tensor? bias, int[] stride, str padding, int[] dilation, int groups) -> Tensor", k_convolution_mode},
    {"aten::conv1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], int[1] padding=[0], int[1] dilation=[1], int groups=1) -> Tensor", k_conv1d},
    {"aten::conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], str padding=\"valid\", int[1] dilation=[1], int groups=1) -> Tensor", k_conv1d},
    {"aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] dilation=1, int groups=1) -> Tensor", k_conv2d},
    {"aten::conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, str padding=\"valid\", int[2] dilation=1, int groups=1) -> Tensor", k_conv2d},
    {"aten::conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=[1], int[1] padding=[0], int[1] output_padding=[0], int groups=1, int[1] dilation=[1]) -> Tensor", k_conv_transpose1d},
    {"aten::conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2] padding=0, int[2] output_padding=0, int groups=1, int[2] dilation=1) -> Tensor", k_conv_transpose2d},
};
/* clang-format on */
const int cts_ops_conv_count = (int)(sizeof cts_ops_conv / sizeof *cts_ops_conv);

/* cts's own fused ops (not PyTorch's: made by passes/, never by the compiler). */
const cts_op_def cts_ops_conv_fused[] = {
    {"cts::conv_act(Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, int groups, bool unbatched, Tensor? residual, int act, float min, float max) -> Tensor", k_conv_act},
};
const int cts_ops_conv_fused_count = (int)(sizeof cts_ops_conv_fused / sizeof *cts_ops_conv_fused);

const cts_prepack_def cts_prepack_conv[] = {
    {k_convolution, prepack_convolution},
    {k_convolution_mode, prepack_conv_nd},
    {k_conv1d, prepack_conv_nd},
    {k_conv2d, prepack_conv_nd},
    {k_conv_act, prepack_conv_nd},
};
const int cts_prepack_conv_count = (int)(sizeof cts_prepack_conv / sizeof *cts_prepack_conv);
