/* nn.c - kernel family 'nn': pooling, normalization, dropout, embedding and
 * index gathers, advanced indexing (index, index_put_), one_hot, losses,
 * padding, upsampling (nearest, nearest-exact, linear, bicubic, antialiased;
 * 1 to 3 spatial dims), relu6, and the prim:: queries models
 * make of tensors and of the runtime (dtype, device, is_autocast_enabled, ...).
 *
 * PyTorch 1.13 is the specification: its argument checks run in its order
 * with its messages (including its quirks, e.g. the "2input (W: 4)is too
 * small" of reflection_pad1d), its output-size rules (the ceil_mode
 * correction "the last pooling starts inside the image", adaptive pooling's
 * start/end indices, upsampling's float source-index arithmetic) and its
 * summation orders where they are cheap to keep (pooling sums run in the
 * window's row-major order in the input's float type, so avg_pool2d is
 * bitwise PyTorch's).  Statistics of the norms accumulate in double.
 *
 * Float paths: float32 and float64 have typed kernels; float16 and bfloat16
 * are widened to float32, computed, and rounded back (PyTorch 1.13 has no
 * float16 CPU kernel for most of these ops; cts accepts float16 anyway).
 * The hot float32 loops (max/avg pooling rows, batch_norm and layer_norm
 * transforms) are written in blocks of 8 so gcc vectorizes them even at
 * -O2, and get an AVX2 clone chosen at run time.  Work is split over
 * k->pool by planes (pooling, batch_norm), rows (layer_norm) or groups.
 *
 * Dropout draws its noise from the thread's generator (random.h) exactly as
 * PyTorch's CPU dropout does (bernoulli_(1 - p) on a tensor of the input's
 * shape, or (N, C, 1, ...) for feature dropout, then a scale), so a seeded
 * program gets PyTorch's numbers; train=False, p == 0 and empty inputs
 * return the input tensor itself, as PyTorch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "../core/pool.h"
#include "kutil.h"
#include "random.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NN_X86 1
#define NN_AVX2 __attribute__((target("avx2,fma")))
#endif

/* ------------------------------------------------------------------------ */
/* helpers                                                                   */

static int not_impl(cts_kctx *k, const char *name, ct_dtype dt) {
    return cts_err_set(k->err, "\"%s\" not implemented for '%s'", name, ku_dtype_tname(dt));
}

static bool is_float(ct_dtype d) { return ct_dtype_is_float(d); }

/* PyTorch's checks that read input.size(d) on a tensor with fewer dims. */
static int dim_error(cts_kctx *k, int ndim, int64_t d) {
    int64_t n = ndim <= 0 ? 1 : ndim;
    return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
                       (long long)-n, (long long)(n - 1), (long long)d);
}

#define SHAPE(t, buf) ct_shape_str((t)->ndim, (t)->sizes, (buf), sizeof(buf))

/* "[ torch.FloatTensor{1,0,3} ]": how PyTorch prints an empty tensor in a
 * message (cts prints every tensor so, PyTorch prints the values of
 * non-empty ones). */
static const char *tensor_repr(const ct_tensor *t, char *buf, size_t n) {
    size_t off = (size_t)snprintf(buf, n, "[ torch.%sTensor{", ku_dtype_tname(t->dtype));
    for (int i = 0; i < t->ndim && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, i ? ",%lld" : "%lld", (long long)t->sizes[i]);
    if (off < n) snprintf(buf + off, n - off, "} ]");
    return buf;
}

/* The float type a kernel computes in: float64 for float64, else float32. */
static ct_dtype comp_dtype(ct_dtype d) { return d == CT_FLOAT64 ? CT_FLOAT64 : CT_FLOAT32; }

/* x as a contiguous tensor of dtype dt (a new reference). */
static ct_tensor *as_dtype(cts_kctx *k, ct_tensor *x, ct_dtype dt) {
    if (x->dtype == dt) return ku_contiguous(x, k->err);
    return ku_to_dtype(x, dt, k->err);
}

/* y (owned) in dtype dt; y is released when converted. */
static ct_tensor *to_dtype_owned(cts_kctx *k, ct_tensor *y, ct_dtype dt) {
    if (!y || y->dtype == dt) return y;
    ct_tensor *r = ku_to_dtype(y, dt, k->err);
    ct_tensor_release(y);
    return r;
}

static int64_t prod(const int64_t *s, int n) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) p *= s[i];
    return p;
}

/* float? argument: None -> *present = false. */
static int opt_float(const ku_args *A, int i, double *out, bool *present) {
    if (i >= A->n) return cts_err_set(A->k->err, "kernel expected at least %d arguments but got %d", i + 1, A->n);
    *present = A->v[i].tag != CV_NONE;
    return *present ? ku_float(A, i, out) : 0;
}

/* Float list argument (float[]?): None -> *n = -1. */
static int opt_float_list(const ku_args *A, int i, double *out, int max, int *n) {
    if (i >= A->n) return cts_err_set(A->k->err, "kernel expected at least %d arguments but got %d", i + 1, A->n);
    const cv_value *v = &A->v[i];
    if (v->tag == CV_NONE) {
        *n = -1;
        return 0;
    }
    if (v->tag != CV_LIST || !v->u.l) return cts_err_set(A->k->err, "argument %d: expected float[]", i);
    if (v->u.l->len > (size_t)max) return cts_err_set(A->k->err, "argument %d: list too long", i);
    for (size_t j = 0; j < v->u.l->len; j++) {
        const cv_value *it = &v->u.l->items[j];
        if (it->tag == CV_FLOAT) out[j] = it->u.f;
        else if (it->tag == CV_INT) out[j] = (double)it->u.i;
        else return cts_err_set(A->k->err, "argument %d: expected float[]", i);
    }
    *n = (int)v->u.l->len;
    return 0;
}

/* Runs fn(ctx, begin, end, thread) over [0, n), split over the pool when
 * the work (n times work_per_item operations) is big enough to pay for it;
 * thread < cts_pool_nthreads(pool) indexes per-thread scratch. */
typedef void (*nn_range_fn)(void *ctx, int64_t begin, int64_t end, int thread);
typedef struct par_job {
    nn_range_fn fn;
    void *ctx;
    int64_t n, chunk;
} par_job;

static void par_task(void *vj, int64_t task, int thread) {
    par_job *j = vj;
    int64_t b = task * j->chunk, e = b + j->chunk < j->n ? b + j->chunk : j->n;
    j->fn(j->ctx, b, e, thread);
}

static void nn_par(cts_pool *pool, int64_t n, double work_per_item, nn_range_fn fn, void *ctx) {
    int nt = cts_pool_nthreads(pool);
    if (n <= 0) return;
    if (nt <= 1 || n == 1 || (double)n * work_per_item < CTS_POOL_MIN_FLOPS) {
        fn(ctx, 0, n, 0);
        return;
    }
    int64_t tasks = (int64_t)nt * 4 < n ? (int64_t)nt * 4 : n;
    par_job j = {fn, ctx, n, (n + tasks - 1) / tasks};
    cts_pool_parallel_for(pool, (n + j.chunk - 1) / j.chunk, par_task, &j);
}

static bool use_avx2(void) {
#ifdef NN_X86
    return cts_cpu_isa() >= CTS_ISA_AVX2;
#else
    return false;
#endif
}

/* ------------------------------------------------------------------------ */
/* pooling: geometry                                                         */

typedef struct pool2d {
    int64_t planes;          /* batch * channels */
    int64_t ih, iw, oh, ow;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
} pool2d;

/* PyTorch's div_rtn: division rounding toward negative infinity. */
static int64_t div_rtn(int64_t x, int64_t y) {
    int64_t q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) q--;
    return q;
}

/* pooling_output_shape_pad_lr: with ceil_mode, the last window must start
 * inside the image or its left padding. */
static int64_t pool_len(int64_t in, int64_t kern, int64_t pad_l, int64_t pad_r, int64_t stride, int64_t dil,
                        bool ceil_mode) {
    int64_t o = div_rtn(in + pad_l + pad_r - dil * (kern - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
    if (ceil_mode && (o - 1) * stride >= in + pad_l) o--;
    return o;
}

/* pooling_output_shape with its checks. */
static int pool_out(cts_kctx *k, int64_t in, int64_t kern, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode,
                    int64_t *out) {
    if (stride == 0) return cts_err_set(k->err, "stride should not be zero");
    if (pad < 0) return cts_err_set(k->err, "pad must be non-negative, but got pad: %lld", (long long)pad);
    if (pad > kern / 2)
        return cts_err_set(k->err, "pad should be at most half of kernel size, but got pad=%lld and kernel_size=%lld",
                           (long long)pad, (long long)kern);
    *out = pool_len(in, kern, pad, pad, stride, dil, ceil_mode);
    return 0;
}

/* Sizes beyond int32 would overflow PyTorch's arithmetic (and ours). */
static int check_small(cts_kctx *k, const int64_t *v, int n) {
    for (int i = 0; i < n; i++)
        if (v[i] > INT32_MAX || v[i] < -INT32_MAX) return cts_err_set(k->err, "integer out of range");
    return 0;
}

/* pool2d_shape_check (after the output sizes are known). */
static int pool2d_shape_check(cts_kctx *k, const ct_tensor *x, const pool2d *g) {
    if (g->kw <= 0 || g->kh <= 0)
        return cts_err_set(k->err, "kernel size should be greater than zero, but got kH: %lld kW: %lld",
                           (long long)g->kh, (long long)g->kw);
    if (g->sw <= 0 || g->sh <= 0)
        return cts_err_set(k->err, "stride should be greater than zero, but got dH: %lld dW: %lld", (long long)g->sh,
                           (long long)g->sw);
    if (g->dw <= 0 || g->dh <= 0)
        return cts_err_set(k->err, "dilation should be greater than zero, but got dilationH: %lld dilationW: %lld",
                           (long long)g->dh, (long long)g->dw);
    int nd = x->ndim;
    bool valid = nd >= 3 && x->sizes[1] != 0 && x->sizes[2] != 0;
    if (!((nd == 3 && x->sizes[0] != 0 && valid) || (nd == 4 && valid && x->sizes[3] != 0))) {
        char b[256];
        return cts_err_set(k->err,
                           "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:%s",
                           SHAPE(x, b));
    }
    int64_t ekw = (g->kw - 1) * g->dw + 1, ekh = (g->kh - 1) * g->dh + 1;
    if (!(ekw / 2 >= g->pw && ekh / 2 >= g->ph))
        return cts_err_set(k->err,
                           "pad should be smaller than or equal to half of effective kernel size, but got padW = %lld, "
                           "padH = %lld, effectiveKW = %lld, effectiveKH = %lld",
                           (long long)g->pw, (long long)g->ph, (long long)ekw, (long long)ekh);
    if (g->ow < 1 || g->oh < 1)
        return cts_err_set(k->err,
                           "Given input size: (%lldx%lldx%lld). Calculated output size: (%lldx%lldx%lld). Output size "
                           "is too small",
                           (long long)x->sizes[nd - 3], (long long)g->ih, (long long)g->iw, (long long)x->sizes[nd - 3],
                           (long long)g->oh, (long long)g->ow);
    return 0;
}

/* Reads the int[2] kernel/stride/padding(/dilation) lists of max_pool2d and
 * avg_pool2d with PyTorch's length checks; dilation may be NULL (avg). */
static int pool2d_lists(cts_kctx *k, const ku_args *A, const char *op, int64_t *kern, int64_t *stride, int64_t *pad,
                        int64_t *dil) {
    int64_t v[CT_MAX_DIMS];
    int n;
    if (ku_int_list(A, 1, v, CT_MAX_DIMS, &n)) return -1;
    if (n != 1 && n != 2)
        return cts_err_set(k->err, "%s: kernel_size must either be a single int, or a tuple of two ints", op);
    kern[0] = v[0];
    kern[1] = n == 1 ? v[0] : v[1];
    if (ku_int_list(A, 2, v, CT_MAX_DIMS, &n)) return -1;
    if (n != 0 && n != 1 && n != 2)
        return cts_err_set(k->err, "%s: stride must either be omitted, a single int, or a tuple of two ints", op);
    stride[0] = n == 0 ? kern[0] : v[0];
    stride[1] = n == 0 ? kern[1] : n == 1 ? stride[0] : v[1];
    if (ku_int_list(A, 3, v, CT_MAX_DIMS, &n)) return -1;
    if (n != 1 && n != 2)
        return cts_err_set(k->err,
                           dil ? "%s: padding must be either be a single int, or a tuple of two ints"
                               : "%s: padding must either be a single int, or a tuple of two ints",
                           op);
    pad[0] = v[0];
    pad[1] = n == 1 ? v[0] : v[1];
    if (dil) {
        if (ku_int_list(A, 4, v, CT_MAX_DIMS, &n)) return -1;
        if (n != 1 && n != 2)
            return cts_err_set(k->err, "%s: dilation must be either a single int, or a tuple of two ints", op);
        dil[0] = v[0];
        dil[1] = n == 1 ? v[0] : v[1];
    }
    if (check_small(k, kern, 2) || check_small(k, stride, 2) || check_small(k, pad, 2)) return -1;
    return dil ? check_small(k, dil, 2) : 0;
}

/* Output sizes and checks of a 2-D pooling whose parameters are known; x is
 * 3-D or 4-D (or fails pool2d_shape_check). */
static int pool2d_geometry(cts_kctx *k, const ct_tensor *x, const int64_t *kern, const int64_t *stride,
                           const int64_t *pad, const int64_t *dil, bool ceil_mode, pool2d *g) {
    int nd = x->ndim;
    g->kh = kern[0], g->kw = kern[1], g->sh = stride[0], g->sw = stride[1];
    g->ph = pad[0], g->pw = pad[1], g->dh = dil[0], g->dw = dil[1];
    g->ih = nd >= 2 ? x->sizes[nd - 2] : 1;
    g->iw = nd >= 1 ? x->sizes[nd - 1] : 1;
    g->planes = nd >= 2 ? prod(x->sizes, nd - 2) : 1;
    if (pool_out(k, g->ih, g->kh, g->ph, g->sh, g->dh, ceil_mode, &g->oh) ||
        pool_out(k, g->iw, g->kw, g->pw, g->sw, g->dw, ceil_mode, &g->ow))
        return -1;
    return pool2d_shape_check(k, x, g);
}

/* Output tensor with x's leading dims and (oh, ow). */
static ct_tensor *pool_output(cts_kctx *k, const ct_tensor *x, int64_t oh, int64_t ow, ct_dtype dt) {
    int64_t s[CT_MAX_DIMS];
    int nd = x->ndim;
    for (int i = 0; i < nd - 2; i++) s[i] = x->sizes[i];
    s[nd - 2] = oh;
    s[nd - 1] = ow;
    return ct_tensor_empty(dt, nd, s, k->err);
}

/* Columns j in [lo, hi) of a pooled row whose input position j * s + off
 * lies in [0, in), clipped to [0, out). */
static inline void col_span(int64_t off, int64_t s, int64_t in, int64_t out, int64_t *lo, int64_t *hi) {
    int64_t l = off >= 0 ? 0 : (-off + s - 1) / s;
    int64_t last = in - 1 - off;
    int64_t h = last < 0 ? 0 : last / s + 1;
    *lo = l;
    *hi = h < out ? h : out;
}

/* ------------------------------------------------------------------------ */
/* pooling: plane kernels                                                    */

/* Row updates of the pooling kernels: y[j] = max(y[j], x[j * s]) (NaN
 * wins) and y[j] += x[j * s] for j < n, where x has avail readable
 * elements; in blocks of 8 lanes so gcc vectorizes them even at -O2;
 * restrict lets it reorder the loads and stores. */
#define NN_MAX_UPD(v, m) ((((v) > (m)) | ((v) != (v))) ? (v) : (m))
#define NN_ROW_OPS(ATTR, SFX, T)                                                                         \
    ATTR static inline void rmax_##SFX(T *restrict y, const T *restrict x, int64_t n, int64_t s,         \
                                       int64_t avail) {                                                  \
        int64_t j = 0;                                                                                   \
        (void)avail;                                                                                     \
        if (s == 1) {                                                                                    \
            for (; j + 8 <= n; j += 8)                                                                   \
                for (int u = 0; u < 8; u++) {                                                            \
                    T v = x[j + u], m = y[j + u];                                                        \
                    y[j + u] = NN_MAX_UPD(v, m);                                                         \
                }                                                                                        \
        } else if (s == 2) {                                                                             \
            for (; j + 8 <= n; j += 8)                                                                   \
                for (int u = 0; u < 8; u++) {                                                            \
                    T v = x[2 * (j + u)], m = y[j + u];                                                  \
                    y[j + u] = NN_MAX_UPD(v, m);                                                         \
                }                                                                                        \
        }                                                                                                \
        for (; j < n; j++) {                                                                             \
            T v = x[j * s], m = y[j];                                                                    \
            y[j] = NN_MAX_UPD(v, m);                                                                     \
        }                                                                                                \
    }                                                                                                    \
    ATTR static inline void radd_##SFX(T *restrict y, const T *restrict x, int64_t n, int64_t s,         \
                                       int64_t avail) {                                                  \
        int64_t j = 0;                                                                                   \
        (void)avail;                                                                                     \
        if (s == 1) {                                                                                    \
            for (; j + 8 <= n; j += 8)                                                                   \
                for (int u = 0; u < 8; u++) y[j + u] += x[j + u];                                        \
        } else if (s == 2) {                                                                             \
            for (; j + 8 <= n; j += 8)                                                                   \
                for (int u = 0; u < 8; u++) y[j + u] += x[2 * (j + u)];                                  \
        }                                                                                                \
        for (; j < n; j++) y[j] += x[j * s];                                                             \
    }

/* Max pooling of one plane without indices, in (kh, kw) order per output
 * row: every output sees its window in row-major order, as PyTorch's scan,
 * and NaN wins. */
#define NN_MAXPOOL_PLANE(ATTR, NAME, SFX, T)                                                             \
    ATTR static void NAME(const pool2d *g, const T *x, T *y) {                                           \
        const int64_t OW = g->ow, SW = g->sw;                                                            \
        for (int64_t oh = 0; oh < g->oh; oh++) {                                                         \
            T *yr = y + oh * OW;                                                                         \
            for (int64_t j = 0; j < OW; j++) yr[j] = (T)-INFINITY;                                       \
            for (int64_t a = 0; a < g->kh; a++) {                                                        \
                int64_t ih = oh * g->sh - g->ph + a * g->dh;                                             \
                if (ih < 0 || ih >= g->ih) continue;                                                     \
                for (int64_t b = 0; b < g->kw; b++) {                                                    \
                    int64_t off = b * g->dw - g->pw, lo, hi;                                             \
                    col_span(off, SW, g->iw, OW, &lo, &hi);                                              \
                    if (lo < hi)                                                                         \
                        rmax_##SFX(yr + lo, x + ih * g->iw + lo * SW + off, hi - lo, SW, g->iw - lo * SW - off); \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }

/* Average pooling of one plane: sums in the window's row-major order (as
 * PyTorch, in T), then PyTorch's divisor. */
#define NN_AVGPOOL_PLANE(ATTR, NAME, SFX, T)                                                             \
    ATTR static void NAME(const pool2d *g, const T *x, T *y, bool cip, int64_t divisor) {                \
        const int64_t OW = g->ow, SW = g->sw;                                                            \
        for (int64_t oh = 0; oh < g->oh; oh++) {                                                         \
            T *yr = y + oh * OW;                                                                         \
            for (int64_t j = 0; j < OW; j++) yr[j] = 0;                                                  \
            int64_t h0 = oh * g->sh - g->ph;                                                             \
            int64_t h1 = h0 + g->kh < g->ih + g->ph ? h0 + g->kh : g->ih + g->ph;                        \
            int64_t hpool = h1 - h0, hs = h0 > 0 ? h0 : 0, he = h1 < g->ih ? h1 : g->ih;                 \
            for (int64_t ih = hs; ih < he; ih++) {                                                       \
                for (int64_t b = 0; b < g->kw; b++) {                                                    \
                    int64_t off = b - g->pw, lo, hi;                                                     \
                    col_span(off, SW, g->iw, OW, &lo, &hi);                                              \
                    if (lo < hi)                                                                         \
                        radd_##SFX(yr + lo, x + ih * g->iw + lo * SW + off, hi - lo, SW, g->iw - lo * SW - off); \
                }                                                                                        \
            }                                                                                            \
            for (int64_t ow = 0; ow < OW; ow++) {                                                        \
                int64_t w0 = ow * SW - g->pw;                                                            \
                int64_t w1 = w0 + g->kw < g->iw + g->pw ? w0 + g->kw : g->iw + g->pw;                    \
                int64_t ws = w0 > 0 ? w0 : 0, we = w1 < g->iw ? w1 : g->iw;                              \
                if (hs >= he || ws >= we) {                                                              \
                    yr[ow] = 0;                                                                          \
                    continue;                                                                            \
                }                                                                                        \
                int64_t d = divisor ? divisor : cip ? hpool * (w1 - w0) : (he - hs) * (we - ws);         \
                yr[ow] = yr[ow] / (T)d;                                                                  \
            }                                                                                            \
        }                                                                                                \
    }

NN_ROW_OPS(, d, double)
#ifndef NN_X86
NN_ROW_OPS(, f, float)
#else
/* float rows with SSE (baseline on x86-64) and AVX2: stride 2 takes the
 * even lanes of two loads, which gcc does not do by itself.  A stride-2
 * block of k lanes reads 2k elements, so it runs while they are readable. */
static inline __m128 nn_max4(__m128 v, __m128 m) {
    __m128 take = _mm_or_ps(_mm_cmpgt_ps(v, m), _mm_cmpunord_ps(v, v));
    return _mm_or_ps(_mm_and_ps(take, v), _mm_andnot_ps(take, m));
}
static inline __m128 nn_evens4(const float *x) {
    return _mm_shuffle_ps(_mm_loadu_ps(x), _mm_loadu_ps(x + 4), _MM_SHUFFLE(2, 0, 2, 0));
}
static inline void rmax_f(float *restrict y, const float *restrict x, int64_t n, int64_t s, int64_t avail) {
    int64_t j = 0;
    if (s == 1)
        for (; j + 4 <= n; j += 4) _mm_storeu_ps(y + j, nn_max4(_mm_loadu_ps(x + j), _mm_loadu_ps(y + j)));
    else if (s == 2)
        for (; j + 4 <= n && 2 * j + 8 <= avail; j += 4)
            _mm_storeu_ps(y + j, nn_max4(nn_evens4(x + 2 * j), _mm_loadu_ps(y + j)));
    for (; j < n; j++) {
        float v = x[j * s], m = y[j];
        y[j] = NN_MAX_UPD(v, m);
    }
}
static inline void radd_f(float *restrict y, const float *restrict x, int64_t n, int64_t s, int64_t avail) {
    int64_t j = 0;
    if (s == 1)
        for (; j + 4 <= n; j += 4) _mm_storeu_ps(y + j, _mm_add_ps(_mm_loadu_ps(y + j), _mm_loadu_ps(x + j)));
    else if (s == 2)
        for (; j + 4 <= n && 2 * j + 8 <= avail; j += 4)
            _mm_storeu_ps(y + j, _mm_add_ps(_mm_loadu_ps(y + j), nn_evens4(x + 2 * j)));
    for (; j < n; j++) y[j] += x[j * s];
}
NN_AVX2 static inline __m256 nn_max8(__m256 v, __m256 m) {
    __m256 take = _mm256_or_ps(_mm256_cmp_ps(v, m, _CMP_GT_OQ), _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    return _mm256_blendv_ps(m, v, take);
}
NN_AVX2 static inline __m256 nn_evens8(const float *x) {
    __m256 t = _mm256_shuffle_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8), _MM_SHUFFLE(2, 0, 2, 0));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(t), _MM_SHUFFLE(3, 1, 2, 0)));
}
NN_AVX2 static inline void rmax_f_avx2(float *restrict y, const float *restrict x, int64_t n, int64_t s,
                                       int64_t avail) {
    int64_t j = 0;
    if (s == 1)
        for (; j + 8 <= n; j += 8)
            _mm256_storeu_ps(y + j, nn_max8(_mm256_loadu_ps(x + j), _mm256_loadu_ps(y + j)));
    else if (s == 2)
        for (; j + 8 <= n && 2 * j + 16 <= avail; j += 8)
            _mm256_storeu_ps(y + j, nn_max8(nn_evens8(x + 2 * j), _mm256_loadu_ps(y + j)));
    for (; j < n; j++) {
        float v = x[j * s], m = y[j];
        y[j] = NN_MAX_UPD(v, m);
    }
}
NN_AVX2 static inline void radd_f_avx2(float *restrict y, const float *restrict x, int64_t n, int64_t s,
                                       int64_t avail) {
    int64_t j = 0;
    if (s == 1)
        for (; j + 8 <= n; j += 8)
            _mm256_storeu_ps(y + j, _mm256_add_ps(_mm256_loadu_ps(y + j), _mm256_loadu_ps(x + j)));
    else if (s == 2)
        for (; j + 8 <= n && 2 * j + 16 <= avail; j += 8)
            _mm256_storeu_ps(y + j, _mm256_add_ps(_mm256_loadu_ps(y + j), nn_evens8(x + 2 * j)));
    for (; j < n; j++) y[j] += x[j * s];
}
#endif
NN_MAXPOOL_PLANE(, maxpool_f, f, float)
NN_MAXPOOL_PLANE(, maxpool_d, d, double)
NN_AVGPOOL_PLANE(, avgpool_f, f, float)
NN_AVGPOOL_PLANE(, avgpool_d, d, double)
#ifdef NN_X86
NN_MAXPOOL_PLANE(NN_AVX2, maxpool_f_avx2, f_avx2, float)
NN_AVGPOOL_PLANE(NN_AVX2, avgpool_f_avx2, f_avx2, float)
#endif

/* Integer average pooling (PyTorch supports int64): int64 sums, C division. */
static void avgpool_i64(const pool2d *g, const int64_t *x, int64_t *y, bool cip, int64_t divisor) {
    for (int64_t oh = 0; oh < g->oh; oh++)
        for (int64_t ow = 0; ow < g->ow; ow++) {
            int64_t h0 = oh * g->sh - g->ph, w0 = ow * g->sw - g->pw;
            int64_t h1 = h0 + g->kh < g->ih + g->ph ? h0 + g->kh : g->ih + g->ph;
            int64_t w1 = w0 + g->kw < g->iw + g->pw ? w0 + g->kw : g->iw + g->pw;
            int64_t pool = (h1 - h0) * (w1 - w0);
            int64_t hs = h0 > 0 ? h0 : 0, ws = w0 > 0 ? w0 : 0;
            int64_t he = h1 < g->ih ? h1 : g->ih, we = w1 < g->iw ? w1 : g->iw;
            int64_t *o = y + oh * g->ow + ow;
            if (hs >= he || ws >= we) {
                *o = 0;
                continue;
            }
            uint64_t s = 0;
            for (int64_t ih = hs; ih < he; ih++)
                for (int64_t iw = ws; iw < we; iw++) s += (uint64_t)x[ih * g->iw + iw];
            int64_t d = divisor ? divisor : cip ? pool : (he - hs) * (we - ws);
            int64_t v = (int64_t)s;
            *o = (d == -1 && v == INT64_MIN) ? v : v / d;
        }
}

/* Max pooling with indices: PyTorch's scan (first maximum, last NaN). */
#define NN_MAXPOOL_IDX(NAME, T)                                                                          \
    static void NAME(const pool2d *g, const T *x, T *y, int64_t *ix) {                                   \
        for (int64_t oh = 0; oh < g->oh; oh++)                                                           \
            for (int64_t ow = 0; ow < g->ow; ow++) {                                                     \
                int64_t h0 = oh * g->sh - g->ph, w0 = ow * g->sw - g->pw;                                \
                int64_t h1 = h0 + (g->kh - 1) * g->dh + 1, w1 = w0 + (g->kw - 1) * g->dw + 1;            \
                if (h1 > g->ih) h1 = g->ih;                                                              \
                if (w1 > g->iw) w1 = g->iw;                                                              \
                while (h0 < 0) h0 += g->dh;                                                              \
                while (w0 < 0) w0 += g->dw;                                                              \
                int64_t best = h0 * g->iw + w0;                                                          \
                T m = (T)-INFINITY;                                                                      \
                for (int64_t ih = h0; ih < h1; ih += g->dh)                                              \
                    for (int64_t iw = w0; iw < w1; iw += g->dw) {                                        \
                        T v = x[ih * g->iw + iw];                                                        \
                        if (v > m || v != v) {                                                           \
                            m = v;                                                                       \
                            best = ih * g->iw + iw;                                                      \
                        }                                                                                \
                    }                                                                                    \
                y[oh * g->ow + ow] = m;                                                                  \
                ix[oh * g->ow + ow] = best;                                                              \
            }                                                                                            \
    }
NN_MAXPOOL_IDX(maxpool_idx_f, float)
NN_MAXPOOL_IDX(maxpool_idx_d, double)

/* ---- running a plane kernel over all planes ---- */

enum { PK_MAX, PK_MAX_IDX, PK_AVG };

typedef struct plane_job {
    const pool2d *g;
    int kind;
    ct_dtype dt;
    const char *x;
    char *y;
    int64_t *ix;
    bool cip, avx2;
    int64_t divisor;
} plane_job;

static void plane_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const plane_job *j = vj;
    const pool2d *g = j->g;
    int64_t isz = g->ih * g->iw, osz = g->oh * g->ow, es = ct_dtype_size(j->dt);
    for (int64_t p = b; p < e; p++) {
        const char *x = j->x + p * isz * es;
        char *y = j->y + p * osz * es;
        if (j->kind == PK_MAX_IDX) {
            if (j->dt == CT_FLOAT64) maxpool_idx_d(g, (const double *)x, (double *)y, j->ix + p * osz);
            else maxpool_idx_f(g, (const float *)x, (float *)y, j->ix + p * osz);
        } else if (j->kind == PK_MAX) {
            if (j->dt == CT_FLOAT64) maxpool_d(g, (const double *)x, (double *)y);
#ifdef NN_X86
            else if (j->avx2) maxpool_f_avx2(g, (const float *)x, (float *)y);
#endif
            else maxpool_f(g, (const float *)x, (float *)y);
        } else {
            if (j->dt == CT_FLOAT64) avgpool_d(g, (const double *)x, (double *)y, j->cip, j->divisor);
            else if (j->dt == CT_INT64) avgpool_i64(g, (const int64_t *)x, (int64_t *)y, j->cip, j->divisor);
#ifdef NN_X86
            else if (j->avx2) avgpool_f_avx2(g, (const float *)x, (float *)y, j->cip, j->divisor);
#endif
            else avgpool_f(g, (const float *)x, (float *)y, j->cip, j->divisor);
        }
    }
}

/* Pools x (3-D or 4-D, any float dtype, or int64 for avg) with geometry g
 * into new tensors *y (x's dtype) and, for PK_MAX_IDX, *ix (int64). */
static int pool2d_run(cts_kctx *k, ct_tensor *x, const pool2d *g, int kind, bool cip, int64_t divisor, ct_tensor **y,
                      ct_tensor **ix) {
    ct_dtype cd = x->dtype == CT_INT64 ? CT_INT64 : comp_dtype(x->dtype);
    ct_tensor *xc = as_dtype(k, x, cd);
    if (!xc) return -1;
    ct_tensor *out = pool_output(k, x, g->oh, g->ow, cd);
    ct_tensor *idx = out && kind == PK_MAX_IDX ? pool_output(k, x, g->oh, g->ow, CT_INT64) : NULL;
    if (!out || (kind == PK_MAX_IDX && !idx)) {
        ct_tensor_release(xc);
        ct_tensor_release(out);
        return -1;
    }
    plane_job j = {g, kind, cd, ct_data(xc), ct_data(out), idx ? ct_data(idx) : NULL, cip, use_avx2(), divisor};
    double work = (double)(g->oh * g->ow) * (double)(g->kh * g->kw) + (double)(g->ih * g->iw);
    nn_par(k->pool, g->planes, work, plane_range, &j);
    ct_tensor_release(xc);
    if (!(out = to_dtype_owned(k, out, x->dtype))) {
        ct_tensor_release(idx);
        return -1;
    }
    *y = out;
    if (ix) *ix = idx;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* max_pool2d, max_pool2d_with_indices, avg_pool2d                           */

static int maxpool2d_impl(cts_kctx *k, const cv_value *args, int nargs, bool with_idx, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y, *ix = NULL;
    int64_t kern[2], stride[2], pad[2], dil[2];
    bool ceil_mode;
    pool2d g;
    if (ku_tensor(&A, 0, &x) || pool2d_lists(k, &A, "max_pool2d", kern, stride, pad, dil) || ku_bool(&A, 5, &ceil_mode))
        return -1;
    if (x->ndim != 3 && x->ndim != 4)
        return cts_err_set(k->err, "non-empty 3D or 4D (batch mode) tensor expected for input");
    if (pool2d_geometry(k, x, kern, stride, pad, dil, ceil_mode, &g)) return -1;
    if (!is_float(x->dtype)) return not_impl(k, "max_pool2d", x->dtype);
    if (pool2d_run(k, x, &g, with_idx ? PK_MAX_IDX : PK_MAX, false, 0, &y, with_idx ? &ix : NULL)) return -1;
    outs[0] = cv_tensor(y);
    if (with_idx) outs[1] = cv_tensor(ix);
    return 0;
}
static int k_max_pool2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return maxpool2d_impl(k, args, nargs, false, outs);
}
static int k_max_pool2d_with_indices(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return maxpool2d_impl(k, args, nargs, true, outs);
}

/* ------------------------------------------------------------------------ */
/* max_pool3d, max_pool3d_with_indices: input (C, D, H, W) or (N, C, D, H, W);
 * index of the max within its plane, NaN wins, as PyTorch's CPU kernel    */

static int pool3d_list(cts_kctx *k, const ku_args *A, int i, const char *what, bool may_omit, const int64_t *dflt,
                       int64_t *out) {
    int64_t v[CT_MAX_DIMS];
    int n;
    if (ku_int_list(A, i, v, CT_MAX_DIMS, &n)) return -1;
    if (n == 0 && may_omit) {
        memcpy(out, dflt, 3 * sizeof *out);
        return 0;
    }
    if (n != 1 && n != 3)
        return cts_err_set(k->err, "max_pool3d: %s must %s a single int, or a tuple of three ints", what,
                           may_omit ? "either be omitted," : strcmp(what, "dilation") == 0 ? "be either" : "either be");
    for (int j = 0; j < 3; j++) out[j] = v[n == 1 ? 0 : j];
    return check_small(k, out, 3);
}

static int maxpool3d_impl(cts_kctx *k, const cv_value *args, int nargs, bool with_idx, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t kern[3], stride[3], pad[3], dil[3], osz[3];
    bool ceil_mode;
    if (ku_tensor(&A, 0, &x) || pool3d_list(k, &A, 1, "kernel_size", false, NULL, kern) ||
        pool3d_list(k, &A, 2, "stride", true, kern, stride) || pool3d_list(k, &A, 3, "padding", false, NULL, pad) ||
        pool3d_list(k, &A, 4, "dilation", false, NULL, dil) || ku_bool(&A, 5, &ceil_mode))
        return -1;
    int nd = x->ndim;
    const int64_t *isz = x->sizes + (nd >= 3 ? nd - 3 : 0);
    for (int j = 0; j < 3; j++)
        if (pool_out(k, nd >= 3 ? isz[j] : 1, kern[j], pad[j], stride[j], dil[j], ceil_mode, &osz[j])) return -1;
    for (int j = 0; j < 3; j++) {
        if (kern[j] <= 0)
            return cts_err_set(k->err, "kernel size should be greater than zero, but got kT: %lld kH: %lld kW: %lld",
                               (long long)kern[0], (long long)kern[1], (long long)kern[2]);
        if (stride[j] <= 0)
            return cts_err_set(k->err, "stride should be greater than zero, but got dT: %lld dH: %lld dW: %lld",
                               (long long)stride[0], (long long)stride[1], (long long)stride[2]);
        if (dil[j] <= 0)
            return cts_err_set(k->err,
                               "dilation should be greater than zero, but got dilationT: %lld dilationH: %lld dilationW: %lld",
                               (long long)dil[0], (long long)dil[1], (long long)dil[2]);
    }
    if (nd != 4 && nd != 5) return cts_err_set(k->err, "non-empty 4D or 5D (batch mode) tensor expected for input");
    for (int j = 1; j < nd; j++)
        if (x->sizes[j] == 0) return cts_err_set(k->err, "non-empty 4D or 5D (batch mode) tensor expected for input");
    if (osz[0] < 1 || osz[1] < 1 || osz[2] < 1)
        return cts_err_set(k->err,
                           "Given input size: (%lldx%lldx%lldx%lld). Calculated output size: (%lldx%lldx%lldx%lld). "
                           "Output size is too small",
                           (long long)x->sizes[nd - 4], (long long)isz[0], (long long)isz[1], (long long)isz[2],
                           (long long)x->sizes[nd - 4], (long long)osz[0], (long long)osz[1], (long long)osz[2]);
    if (!is_float(x->dtype)) return not_impl(k, "max_pool3d_with_indices_cpu", x->dtype);
    int64_t shape[5];
    for (int j = 0; j < nd - 3; j++) shape[j] = x->sizes[j];
    memcpy(shape + nd - 3, osz, sizeof osz);
    ct_tensor *dx = ku_to_dtype(x, CT_FLOAT64, k->err);
    ct_tensor *y = dx ? ct_tensor_empty(x->dtype, nd, shape, k->err) : NULL;
    ct_tensor *ix = y && with_idx ? ct_tensor_empty(CT_INT64, nd, shape, k->err) : NULL;
    if (!y || (with_idx && !ix)) {
        ct_tensor_release(dx);
        ct_tensor_release(y);
        return -1;
    }
    int64_t planes = prod(x->sizes, nd - 3), in_pl = isz[0] * isz[1] * isz[2], out_pl = osz[0] * osz[1] * osz[2];
    const double *src = ct_data(dx);
    char *yo = ct_data(y);
    int64_t *io = ix ? ct_data(ix) : NULL;
    int esz = ct_dtype_size(x->dtype);
    for (int64_t p = 0; p < planes; p++) {
        const double *ip = src + p * in_pl;
        int64_t o = p * out_pl;
        for (int64_t t = 0; t < osz[0]; t++)
            for (int64_t h = 0; h < osz[1]; h++)
                for (int64_t w = 0; w < osz[2]; w++, o++) {
                    int64_t st = t * stride[0] - pad[0], sh = h * stride[1] - pad[1], sw = w * stride[2] - pad[2];
                    int64_t et = st + (kern[0] - 1) * dil[0] + 1, eh = sh + (kern[1] - 1) * dil[1] + 1,
                            ew = sw + (kern[2] - 1) * dil[2] + 1;
                    if (et > isz[0]) et = isz[0];
                    if (eh > isz[1]) eh = isz[1];
                    if (ew > isz[2]) ew = isz[2];
                    while (st < 0) st += dil[0];
                    while (sh < 0) sh += dil[1];
                    while (sw < 0) sw += dil[2];
                    int64_t best = st * isz[1] * isz[2] + sh * isz[2] + sw;
                    double m = -INFINITY;
                    for (int64_t a = st; a < et; a += dil[0])
                        for (int64_t b = sh; b < eh; b += dil[1])
                            for (int64_t c = sw; c < ew; c += dil[2]) {
                                int64_t id = (a * isz[1] + b) * isz[2] + c;
                                double v = ip[id];
                                if (v > m || isnan(v)) {
                                    m = v;
                                    best = id;
                                }
                            }
                    ct_store_f64(yo + o * esz, x->dtype, m);
                    if (io) io[o] = best;
                }
    }
    ct_tensor_release(dx);
    outs[0] = cv_tensor(y);
    if (with_idx) outs[1] = cv_tensor(ix);
    return 0;
}
static int k_max_pool3d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return maxpool3d_impl(k, args, nargs, false, outs);
}
static int k_max_pool3d_with_indices(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return maxpool3d_impl(k, args, nargs, true, outs);
}

/* avg_pool2d on x after its argument lists were read. */
static int avgpool2d_core(cts_kctx *k, ct_tensor *x, const int64_t *kern, const int64_t *stride, const int64_t *pad,
                          bool ceil_mode, bool cip, int64_t divisor, bool has_div, ct_tensor **y) {
    if (has_div && divisor == 0) return cts_err_set(k->err, "divisor must be not zero");
    if (x->ndim < 3) return dim_error(k, x->ndim, -3);
    static const int64_t one[2] = {1, 1};
    pool2d g;
    if (pool2d_geometry(k, x, kern, stride, pad, one, ceil_mode, &g)) return -1;
    if (!is_float(x->dtype) && x->dtype != CT_INT64) return not_impl(k, "avg_pool2d", x->dtype);
    return pool2d_run(k, x, &g, PK_AVG, cip, has_div ? divisor : 0, y, NULL);
}

static int k_avg_pool2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y;
    int64_t kern[2], stride[2], pad[2], divisor = 0;
    bool ceil_mode, cip, has_div;
    if (ku_tensor(&A, 0, &x) || pool2d_lists(k, &A, "avg_pool2d", kern, stride, pad, NULL) ||
        ku_bool(&A, 4, &ceil_mode) || ku_bool(&A, 5, &cip) || ku_opt_int(&A, 6, &divisor, &has_div))
        return -1;
    if (avgpool2d_core(k, x, kern, stride, pad, ceil_mode, cip, divisor, has_div, &y)) return -1;
    return ku_ret(outs, y);
}

/* ------------------------------------------------------------------------ */
/* 1-D pooling: PyTorch runs them as 2-D pooling of x.unsqueeze(-2)          */

/* "max_pool1d() argument 'kernel_size' should contain one int (got 2)" */
static int list1(cts_kctx *k, const ku_args *A, int i, const char *op, const char *name, bool empty_ok, int64_t *v,
                 int *n) {
    int64_t buf[CT_MAX_DIMS];
    if (ku_int_list(A, i, buf, CT_MAX_DIMS, n)) return -1;
    if (*n > 1 || (*n == 0 && !empty_ok))
        return cts_err_set(k->err, "%s() argument '%s' should contain one int (got %d)", op, name, *n);
    if (*n == 1) *v = buf[0];
    return check_small(k, buf, *n);
}

/* "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)" */
static int check_dim_range(cts_kctx *k, const ct_tensor *x, const char *op) {
    if (x->ndim >= 2 && x->ndim <= 3) return 0;
    return cts_err_set(k->err,
                       "Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while "
                       "checking arguments for %s)",
                       x->ndim, op);
}

/* x with a unit dim inserted before the last one, and the reverse. */
static ct_tensor *unsq(cts_kctx *k, ct_tensor *x) { return ct_unsqueeze(x, -2, k->err); }
static ct_tensor *sq_owned(cts_kctx *k, ct_tensor *y) {
    if (!y) return NULL;
    ct_tensor *r = ct_squeeze_dim(y, -2, k->err);
    ct_tensor_release(y);
    return r;
}

/* max_pool1d: PyTorch's own checks and messages, then the 2-D kernel on
 * one row (values only). */
static int k_max_pool1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t kv[CT_MAX_DIMS], sv[CT_MAX_DIMS], pv[CT_MAX_DIMS], dv[CT_MAX_DIMS];
    int kn, sn, pn, dn;
    bool ceil_mode;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, kv, CT_MAX_DIMS, &kn) || ku_int_list(&A, 2, sv, CT_MAX_DIMS, &sn) ||
        ku_int_list(&A, 3, pv, CT_MAX_DIMS, &pn) || ku_int_list(&A, 4, dv, CT_MAX_DIMS, &dn) ||
        ku_bool(&A, 5, &ceil_mode))
        return -1;
    if (kn != 1)
        return cts_err_set(k->err,
                           "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got "
                           "size %d",
                           kn);
    if (sn != 0 && sn != 1)
        return cts_err_set(k->err,
                           "max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got "
                           "size %d",
                           sn);
    if (pn != 1)
        return cts_err_set(k->err,
                           "max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size "
                           "%d",
                           pn);
    if (dn != 1)
        return cts_err_set(k->err,
                           "max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size "
                           "%d",
                           dn);
    int64_t kw = kv[0], sw = sn ? sv[0] : kw, pw = pv[0], dw = dv[0];
    int64_t chk[4] = {kw, sw, pw, dw};
    if (check_small(k, chk, 4)) return -1;
    char b[256];
    if (!((x->ndim == 2 && x->sizes[0] != 0 && x->sizes[1] != 0) ||
          (x->ndim == 3 && x->sizes[1] != 0 && x->sizes[2] != 0)))
        return cts_err_set(k->err,
                           "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
                           "but got:%s",
                           SHAPE(x, b));
    if (kw <= 0) return cts_err_set(k->err, "max_pool1d() kernel_size must be greater than zero, but got %lld", (long long)kw);
    if (sw <= 0) return cts_err_set(k->err, "max_pool1d() stride must be greater than zero, but got %lld", (long long)sw);
    if (pw < 0) return cts_err_set(k->err, "max_pool1d() padding must be non-negative, but got %lld", (long long)pw);
    if (pw > kw / 2)
        return cts_err_set(k->err,
                           "max_pool1d() padding should be at most half of kernel size, but got padding=%lld and "
                           "kernel_size=%lld",
                           (long long)pw, (long long)kw);
    if (dw <= 0) return cts_err_set(k->err, "max_pool1d() dilation must be greater than zero, but got %lld", (long long)dw);
    int64_t ow = pool_len(x->sizes[x->ndim - 1], kw, pw, pw, sw, dw, ceil_mode);
    if (ow < 0) return cts_err_set(k->err, "max_pool1d() Invalid computed output size: %lld", (long long)ow);
    if (!is_float(x->dtype)) return not_impl(k, "max_pool1d_impl", x->dtype);
    pool2d g = {prod(x->sizes, x->ndim - 1), 1, x->sizes[x->ndim - 1], 1, ow, 1, kw, 1, sw, 0, pw, 1, dw};
    ct_tensor *x2 = unsq(k, x), *y;
    if (!x2) return -1;
    int rc = pool2d_run(k, x2, &g, PK_MAX, false, 0, &y, NULL);
    ct_tensor_release(x2);
    return rc ? -1 : ku_ret(outs, sq_owned(k, y));
}

static int k_max_pool1d_with_indices(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y, *ix;
    int64_t kern[2] = {1, 0}, stride[2] = {1, 0}, pad[2] = {0, 0}, dil[2] = {1, 1};
    int n;
    bool ceil_mode;
    pool2d g;
    if (ku_tensor(&A, 0, &x) || ku_bool(&A, 5, &ceil_mode)) return -1;
    if (list1(k, &A, 1, "max_pool1d", "kernel_size", false, &kern[1], &n) ||
        list1(k, &A, 2, "max_pool1d", "stride", true, &stride[1], &n))
        return -1;
    if (n == 0) stride[1] = kern[1];
    if (list1(k, &A, 3, "max_pool1d", "padding", false, &pad[1], &n) ||
        list1(k, &A, 4, "max_pool1d", "dilation", false, &dil[1], &n) || check_dim_range(k, x, "max_pool1d"))
        return -1;
    ct_tensor *x2 = unsq(k, x);
    if (!x2) return -1;
    int rc = pool2d_geometry(k, x2, kern, stride, pad, dil, ceil_mode, &g);
    if (!rc && !is_float(x->dtype)) rc = not_impl(k, "max_pool2d", x->dtype);
    if (!rc) rc = pool2d_run(k, x2, &g, PK_MAX_IDX, false, 0, &y, &ix);
    ct_tensor_release(x2);
    if (rc) return -1;
    y = sq_owned(k, y);
    ix = sq_owned(k, ix);
    if (!y || !ix) {
        ct_tensor_release(y);
        ct_tensor_release(ix);
        return -1;
    }
    outs[0] = cv_tensor(y);
    outs[1] = cv_tensor(ix);
    return 0;
}

static int k_avg_pool1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y;
    int64_t kern[2] = {1, 0}, stride[2] = {1, 0}, pad[2] = {0, 0};
    int n;
    bool ceil_mode, cip;
    if (ku_tensor(&A, 0, &x) || ku_bool(&A, 4, &ceil_mode) || ku_bool(&A, 5, &cip)) return -1;
    if (list1(k, &A, 1, "avg_pool1d", "kernel_size", false, &kern[1], &n) ||
        list1(k, &A, 2, "avg_pool1d", "stride", true, &stride[1], &n))
        return -1;
    if (n == 0) stride[1] = kern[1];
    if (list1(k, &A, 3, "avg_pool1d", "padding", false, &pad[1], &n) || check_dim_range(k, x, "avg_pool1d")) return -1;
    ct_tensor *x2 = unsq(k, x);
    if (!x2) return -1;
    int rc = avgpool2d_core(k, x2, kern, stride, pad, ceil_mode, cip, 0, false, &y);
    ct_tensor_release(x2);
    return rc ? -1 : ku_ret(outs, sq_owned(k, y));
}

/* ------------------------------------------------------------------------ */
/* adaptive pooling                                                          */

/* PyTorch's start_index / end_index: floor(a * c / b), ceil((a+1) * c / b). */
static inline int64_t ad_start(int64_t a, int64_t b, int64_t c) { return (a / b) * c + ((a % b) * c) / b; }
static inline int64_t ad_end(int64_t a, int64_t b, int64_t c) { return 1 + ((a + 1) * c - 1) / b; }

typedef struct adapt_job {
    int64_t ih, iw, oh, ow;
    bool is_max;
    ct_dtype dt;
    const char *x;
    char *y;
    int64_t *ix;
} adapt_job;

#define NN_ADAPT_PLANE(NAME, T)                                                                          \
    static void NAME(const adapt_job *j, const T *x, T *y, int64_t *ix) {                                \
        for (int64_t oh = 0; oh < j->oh; oh++) {                                                         \
            int64_t h0 = ad_start(oh, j->oh, j->ih), h1 = ad_end(oh, j->oh, j->ih);                      \
            for (int64_t ow = 0; ow < j->ow; ow++) {                                                     \
                int64_t w0 = ad_start(ow, j->ow, j->iw), w1 = ad_end(ow, j->ow, j->iw);                  \
                if (j->is_max) {                                                                         \
                    int64_t best = h0 * j->iw + w0;                                                      \
                    T m = (T)-INFINITY;                                                                  \
                    for (int64_t a = h0; a < h1; a++)                                                    \
                        for (int64_t b = w0; b < w1; b++) {                                              \
                            T v = x[a * j->iw + b];                                                      \
                            if (v > m || v != v) {                                                       \
                                m = v;                                                                   \
                                best = a * j->iw + b;                                                    \
                            }                                                                            \
                        }                                                                                \
                    y[oh * j->ow + ow] = m;                                                              \
                    ix[oh * j->ow + ow] = best;                                                          \
                } else {                                                                                 \
                    T s = 0;                                                                             \
                    for (int64_t a = h0; a < h1; a++)                                                    \
                        for (int64_t b = w0; b < w1; b++) s += x[a * j->iw + b];                         \
                    y[oh * j->ow + ow] = s / (T)(h1 - h0) / (T)(w1 - w0);                                \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }
NN_ADAPT_PLANE(adapt_f, float)
NN_ADAPT_PLANE(adapt_d, double)

/* Global average of one plane (output 1x1, PyTorch's mean): double sums. */
static double plane_sum_f(const float *x, int64_t n) {
    /* float lanes over chunks of 1024, chunk sums in double */
    double s = 0;
    int64_t i = 0;
    for (; i + 16 <= n;) {
        float p[16] = {0};
        int64_t e = i + 1024 < n ? i + 1024 : n - n % 16;
        for (; i < e; i += 16)
            for (int u = 0; u < 16; u++) p[u] += x[i + u];
        for (int u = 0; u < 16; u++) s += p[u];
    }
    for (; i < n; i++) s += x[i];
    return s;
}
static double plane_sum_d(const double *x, int64_t n) {
    double p[4] = {0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int u = 0; u < 4; u++) p[u] += x[i + u];
    double s = (p[0] + p[1]) + (p[2] + p[3]);
    for (; i < n; i++) s += x[i];
    return s;
}

static void adapt_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const adapt_job *j = vj;
    int64_t isz = j->ih * j->iw, osz = j->oh * j->ow;
    for (int64_t p = b; p < e; p++) {
        int64_t *ix = j->ix ? j->ix + p * osz : NULL;
        if (j->dt == CT_FLOAT64) {
            const double *x = (const double *)j->x + p * isz;
            double *y = (double *)j->y + p * osz;
            if (!j->is_max && osz == 1) y[0] = plane_sum_d(x, isz) / (double)isz;
            else adapt_d(j, x, y, ix);
        } else {
            const float *x = (const float *)j->x + p * isz;
            float *y = (float *)j->y + p * osz;
            if (!j->is_max && osz == 1) y[0] = (float)plane_sum_f(x, isz) / (float)isz;
            else adapt_f(j, x, y, ix);
        }
    }
}

/* Adaptive pooling of x (3-D or 4-D, checked) to (oh, ow). */
static int adapt_run(cts_kctx *k, ct_tensor *x, int64_t oh, int64_t ow, bool is_max, ct_tensor **y, ct_tensor **ix) {
    ct_dtype cd = comp_dtype(x->dtype);
    ct_tensor *xc = as_dtype(k, x, cd);
    if (!xc) return -1;
    ct_tensor *out = pool_output(k, x, oh, ow, cd);
    ct_tensor *idx = out && is_max ? pool_output(k, x, oh, ow, CT_INT64) : NULL;
    if (!out || (is_max && !idx)) {
        ct_tensor_release(xc);
        ct_tensor_release(out);
        return -1;
    }
    int nd = x->ndim;
    adapt_job j = {x->sizes[nd - 2], x->sizes[nd - 1], oh, ow, is_max, cd, ct_data(xc), ct_data(out),
                   idx ? ct_data(idx) : NULL};
    int64_t planes = prod(x->sizes, nd - 2);
    double work = (double)(j.ih * j.iw) + (double)(oh * ow) * 4.0;
    if (oh > 0 && ow > 0 && j.ih > 0 && j.iw > 0) nn_par(k->pool, planes, work, adapt_range, &j);
    ct_tensor_release(xc);
    if (!(out = to_dtype_owned(k, out, x->dtype))) {
        ct_tensor_release(idx);
        return -1;
    }
    *y = out;
    if (ix) *ix = idx;
    return 0;
}

static int adaptive_avg_core(cts_kctx *k, ct_tensor *x, int64_t oh, int64_t ow, ct_tensor **y) {
    char b[256];
    if (oh < 0 || ow < 0)
        return cts_err_set(k->err,
                           "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           "received {%lld, %lld}",
                           (long long)oh, (long long)ow);
    if (x->ndim != 3 && x->ndim != 4)
        return cts_err_set(k->err, "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got %s", SHAPE(x, b));
    for (int i = x->ndim - 2; i < x->ndim; i++)
        if (x->sizes[i] <= 0)
            return cts_err_set(k->err,
                               "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                               "but input has sizes %s with dimension %d being empty",
                               SHAPE(x, b), i);
    if (!is_float(x->dtype)) return not_impl(k, "adaptive_avg_pool2d", x->dtype);
    return adapt_run(k, x, oh, ow, false, y, NULL);
}

static int adaptive_max_core(cts_kctx *k, ct_tensor *x, int64_t oh, int64_t ow, ct_tensor **y, ct_tensor **ix) {
    char b[256];
    if (x->ndim != 3 && x->ndim != 4)
        return cts_err_set(k->err, "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: %s", SHAPE(x, b));
    for (int i = 1; i < x->ndim; i++)
        if (x->sizes[i] <= 0)
            return cts_err_set(k->err,
                               "adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
                               "but input has sizes %s with dimension %d being empty",
                               SHAPE(x, b), i);
    if (oh < 0 || ow < 0) {
        int64_t s[CT_MAX_DIMS];
        memcpy(s, x->sizes, sizeof(int64_t) * (size_t)x->ndim);
        s[x->ndim - 2] = oh;
        s[x->ndim - 1] = ow;
        return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: %s",
                           (long long)(oh < 0 ? oh : ow), ct_shape_str(x->ndim, s, b, sizeof b));
    }
    if (!is_float(x->dtype)) return not_impl(k, "adaptive_max_pool2d", x->dtype);
    return adapt_run(k, x, oh, ow, true, y, ix);
}

static int k_adaptive_avg_pool2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y;
    int64_t os[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, os, CT_MAX_DIMS, &n)) return -1;
    if (n != 2) return cts_err_set(k->err, "adaptive_avg_pool2d: output_size must be 2");
    if (check_small(k, os, 2) || adaptive_avg_core(k, x, os[0], os[1], &y)) return -1;
    return ku_ret(outs, y);
}

static int k_adaptive_max_pool2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y, *ix;
    int64_t os[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, os, CT_MAX_DIMS, &n)) return -1;
    if (n != 2) return cts_err_set(k->err, "adaptive_max_pool2d(): internal error: output_size.size() must be 2");
    if (check_small(k, os, 2) || adaptive_max_core(k, x, os[0], os[1], &y, &ix)) return -1;
    outs[0] = cv_tensor(y);
    outs[1] = cv_tensor(ix);
    return 0;
}

static int k_adaptive_avg_pool1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y;
    int64_t os = 0;
    int n;
    if (ku_tensor(&A, 0, &x) || list1(k, &A, 1, "adaptive_avg_pool1d", "output_size", false, &os, &n) ||
        check_dim_range(k, x, "adaptive_avg_pool1d"))
        return -1;
    ct_tensor *x2 = unsq(k, x);
    if (!x2) return -1;
    int rc = adaptive_avg_core(k, x2, 1, os, &y);
    ct_tensor_release(x2);
    return rc ? -1 : ku_ret(outs, sq_owned(k, y));
}

static int k_adaptive_max_pool1d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y, *ix;
    int64_t os = 0;
    int n;
    if (ku_tensor(&A, 0, &x) || list1(k, &A, 1, "adaptive_max_pool1d", "output_size", false, &os, &n) ||
        check_dim_range(k, x, "adaptive_max_pool1d"))
        return -1;
    ct_tensor *x2 = unsq(k, x);
    if (!x2) return -1;
    int rc = adaptive_max_core(k, x2, 1, os, &y, &ix);
    ct_tensor_release(x2);
    if (rc) return -1;
    y = sq_owned(k, y);
    ix = sq_owned(k, ix);
    if (!y || !ix) {
        ct_tensor_release(y);
        ct_tensor_release(ix);
        return -1;
    }
    outs[0] = cv_tensor(y);
    outs[1] = cv_tensor(ix);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* normalization                                                             */

/* y = x * a + b over n contiguous elements (the batch_norm/group_norm
 * transform of one plane). */
#define NN_AFFINE(ATTR, NAME, T)                                                                         \
    ATTR static void NAME(const T *restrict x, T *restrict y, int64_t n, T a, T b) {                                       \
        int64_t i = 0;                                                                                   \
        for (; i + 8 <= n; i += 8)                                                                       \
            for (int u = 0; u < 8; u++) y[i + u] = x[i + u] * a + b;                                     \
        for (; i < n; i++) y[i] = x[i] * a + b;                                                          \
    }
/* y = (x * s + t) * w + c over a row (layer_norm). */
#define NN_ROWNORM(ATTR, NAME, T)                                                                        \
    ATTR static void NAME(const T *restrict x, T *restrict y, int64_t n, T s, T t, const T *restrict w,  \
                          const T *restrict c) {               \
        int64_t i = 0;                                                                                   \
        if (w && c) {                                                                                    \
            for (; i + 8 <= n; i += 8)                                                                   \
                for (int u = 0; u < 8; u++) y[i + u] = (x[i + u] * s + t) * w[i + u] + c[i + u];         \
            for (; i < n; i++) y[i] = (x[i] * s + t) * w[i] + c[i];                                      \
        } else {                                                                                         \
            for (; i + 8 <= n; i += 8)                                                                   \
                for (int u = 0; u < 8; u++) {                                                            \
                    T v = x[i + u] * s + t;                                                              \
                    if (w) v *= w[i + u];                                                                \
                    if (c) v += c[i + u];                                                                \
                    y[i + u] = v;                                                                        \
                }                                                                                        \
            for (; i < n; i++) {                                                                         \
                T v = x[i] * s + t;                                                                      \
                if (w) v *= w[i];                                                                        \
                if (c) v += c[i];                                                                        \
                y[i] = v;                                                                                \
            }                                                                                            \
        }                                                                                                \
    }
NN_AFFINE(, affine_f, float)
NN_AFFINE(, affine_d, double)
NN_ROWNORM(, rownorm_f, float)
NN_ROWNORM(, rownorm_d, double)
#ifdef NN_X86
NN_AFFINE(NN_AVX2, affine_f_avx2, float)
NN_ROWNORM(NN_AVX2, rownorm_f_avx2, float)
#endif

/* Mean and biased variance of n contiguous values (two passes, double). */
static void moments_f(const float *x, int64_t n, double *mean, double *m2) {
    double m = n ? plane_sum_f(x, n) / (double)n : 0, p[4] = {0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int u = 0; u < 4; u++) {
            double d = x[i + u] - m;
            p[u] += d * d;
        }
    double s = (p[0] + p[1]) + (p[2] + p[3]);
    for (; i < n; i++) s += (x[i] - m) * (x[i] - m);
    *mean = m;
    *m2 = s;
}
static void moments_d(const double *x, int64_t n, double *mean, double *m2) {
    double m = n ? plane_sum_d(x, n) / (double)n : 0, p[4] = {0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int u = 0; u < 4; u++) {
            double d = x[i + u] - m;
            p[u] += d * d;
        }
    double s = (p[0] + p[1]) + (p[2] + p[3]);
    for (; i < n; i++) s += (x[i] - m) * (x[i] - m);
    *mean = m;
    *m2 = s;
}

/* Element i (in row-major order) of a parameter of any float dtype and
 * strides, or dflt when there is none.  PyTorch reads a [C, 1] weight of
 * batch_norm linearly, so any shape with C elements works. */
static double param_at(const ct_tensor *p, int64_t i, double dflt) {
    if (!p) return dflt;
    int64_t rem = i, off = 0;
    for (int d = p->ndim - 1; d >= 0; d--) {
        off += (rem % p->sizes[d]) * p->strides[d];
        rem /= p->sizes[d];
    }
    return ct_load_f64((const char *)ct_data(p) + off * ct_dtype_size(p->dtype), p->dtype);
}
static void param_set(ct_tensor *p, int64_t i, double v) {
    ct_store_f64((char *)ct_data(p) + i * p->strides[0] * ct_dtype_size(p->dtype), p->dtype, v);
}

/* ---- batch_norm ---- */

typedef struct bn_job {
    ct_dtype cd;
    const char *x;
    char *y;
    int64_t n, c, hw;
    const double *alpha, *beta;
    double *mean, *m2; /* per channel (training) */
    bool avx2;
} bn_job;

static void bn_stats_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    bn_job *j = vj;
    for (int64_t c = b; c < e; c++) {
        double s = 0;
        for (int64_t n = 0; n < j->n; n++) {
            int64_t off = (n * j->c + c) * j->hw;
            s += j->cd == CT_FLOAT64 ? plane_sum_d((const double *)j->x + off, j->hw)
                                     : plane_sum_f((const float *)j->x + off, j->hw);
        }
        double cnt = (double)(j->n * j->hw), m = s / cnt, m2 = 0;
        for (int64_t n = 0; n < j->n; n++) {
            int64_t off = (n * j->c + c) * j->hw;
            if (j->cd == CT_FLOAT64) {
                const double *x = (const double *)j->x + off;
                for (int64_t i = 0; i < j->hw; i++) m2 += (x[i] - m) * (x[i] - m);
            } else {
                const float *x = (const float *)j->x + off;
                for (int64_t i = 0; i < j->hw; i++) m2 += (x[i] - m) * (x[i] - m);
            }
        }
        j->mean[c] = m;
        j->m2[c] = m2;
    }
}

static void bn_apply_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const bn_job *j = vj;
    for (int64_t p = b; p < e; p++) {
        int64_t c = p % j->c, off = p * j->hw;
        if (j->cd == CT_FLOAT64) {
            affine_d((const double *)j->x + off, (double *)j->y + off, j->hw, j->alpha[c], j->beta[c]);
        } else {
            const float *x = (const float *)j->x + off;
            float *y = (float *)j->y + off;
#ifdef NN_X86
            if (j->avx2) {
                affine_f_avx2(x, y, j->hw, (float)j->alpha[c], (float)j->beta[c]);
                continue;
            }
#endif
            affine_f(x, y, j->hw, (float)j->alpha[c], (float)j->beta[c]);
        }
    }
}

/* PyTorch's parameter dtype rules for batch_norm on CPU. */
static int bn_check_dtypes(cts_kctx *k, const ct_tensor *x, ct_tensor *const *params) {
    ct_dtype first = CT_DTYPE_INVALID;
    for (int i = 0; i < 4; i++)
        if (params[i] && first == CT_DTYPE_INVALID) first = params[i]->dtype;
    if (first != CT_DTYPE_INVALID && first != x->dtype) { /* mixed: BFloat16 input, Float parameters */
        for (int i = 0; i < 4; i++)
            if (params[i] && params[i]->dtype != CT_FLOAT32)
                return cts_err_set(k->err, "mixed dtype (CPU): expect parameter to have scalar type of Float");
        if (x->dtype != CT_BFLOAT16 && x->dtype != CT_FLOAT16)
            return cts_err_set(k->err, "mixed dtype (CPU): expect input to have scalar type of BFloat16");
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (params[i] && params[i]->dtype != x->dtype)
            return cts_err_set(k->err, "expected scalar type %s but found %s", ku_dtype_tname(x->dtype),
                               ku_dtype_tname(params[i]->dtype));
    return 0;
}

/* batch_norm of x (N, C, *): statistics from the batch (training, updating
 * the running stats that are given) or from running_mean/var. */
static ct_tensor *bn_core(cts_kctx *k, ct_tensor *x, ct_tensor *w, ct_tensor *b, ct_tensor *rm, ct_tensor *rv,
                          bool training, double momentum, double eps) {
    if (ct_numel(x) == 0) return ku_to_dtype(x, x->dtype, k->err);
    int64_t nf = x->ndim >= 2 ? x->sizes[1] : 0;
    static const char *const names[4] = {"running_mean", "running_var", "weight", "bias"};
    ct_tensor *const ps[4] = {rm, rv, w, b};
    for (int i = 0; i < 4; i++) {
        if (ps[i]) {
            if (ct_numel(ps[i]) != nf)
                return cts_err_set(k->err, "%s should contain %lld elements not %lld", names[i], (long long)nf,
                                   (long long)ct_numel(ps[i])),
                       NULL;
        } else if (i < 2 && !training) {
            return cts_err_set(k->err, "%s must be defined in evaluation mode", names[i]), NULL;
        }
    }
    if (x->ndim < 2) return dim_error(k, x->ndim, 1), NULL;
    if (!is_float(x->dtype)) return not_impl(k, "batch_norm", x->dtype), NULL;
    ct_tensor *const order[4] = {w, b, rm, rv};
    if (bn_check_dtypes(k, x, order)) return NULL;
    if ((rm && rm->ndim != 1) || (rv && rv->ndim != 1))
        return cts_err_set(k->err, "TensorAccessor expected 1 dims but tensor has %d", rm && rm->ndim != 1 ? rm->ndim : rv->ndim),
               NULL;

    ct_dtype cd = comp_dtype(x->dtype);
    ct_tensor *xc = as_dtype(k, x, cd);
    if (!xc) return NULL;
    ct_tensor *y = ct_tensor_empty(cd, x->ndim, x->sizes, k->err);
    double *buf = y ? malloc(sizeof(double) * 4 * (size_t)nf) : NULL;
    if (!buf) {
        if (y) cts_err_oom(k->err, "batch_norm", sizeof(double) * 4 * (size_t)nf);
        ct_tensor_release(xc);
        ct_tensor_release(y);
        return NULL;
    }
    bn_job j = {cd, ct_data(xc), ct_data(y), x->sizes[0], nf, prod(x->sizes + 2, x->ndim - 2), buf, buf + nf,
                buf + 2 * nf, buf + 3 * nf, use_avx2()};
    if (training) {
        nn_par(k->pool, nf, (double)(j.n * j.hw) * 4, bn_stats_range, &j);
        double cnt = (double)(j.n * j.hw);
        for (int64_t c = 0; c < nf; c++) {
            double mean = j.mean[c], var = j.m2[c] / cnt;
            if (rm) param_set(rm, c, momentum * mean + (1 - momentum) * param_at(rm, c, 0));
            if (rv) param_set(rv, c, momentum * (j.m2[c] / (cnt - 1)) + (1 - momentum) * param_at(rv, c, 0));
            double invstd = 1 / sqrt(var + eps);
            buf[c] = param_at(w, c, 1) * invstd;
            buf[nf + c] = param_at(b, c, 0) - mean * buf[c];
        }
    } else {
        for (int64_t c = 0; c < nf; c++) {
            double invstd = 1 / sqrt(param_at(rv, c, 1) + eps);
            buf[c] = param_at(w, c, 1) * invstd;
            buf[nf + c] = param_at(b, c, 0) - param_at(rm, c, 0) * buf[c];
        }
    }
    j.alpha = buf;
    j.beta = buf + nf;
    nn_par(k->pool, j.n * nf, (double)j.hw * 2, bn_apply_range, &j);
    free(buf);
    ct_tensor_release(xc);
    return to_dtype_owned(k, y, x->dtype);
}

static int k_batch_norm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *w, *b, *rm, *rv;
    bool training, cudnn;
    double momentum, eps;
    if (ku_tensor(&A, 0, &x) || ku_opt_tensor(&A, 1, &w) || ku_opt_tensor(&A, 2, &b) || ku_opt_tensor(&A, 3, &rm) ||
        ku_opt_tensor(&A, 4, &rv) || ku_bool(&A, 5, &training) || ku_float(&A, 6, &momentum) ||
        ku_float(&A, 7, &eps) || ku_bool(&A, 8, &cudnn))
        return -1;
    return ku_ret(outs, bn_core(k, x, w, b, rm, rv, training, momentum, eps));
}

/* p repeated n times (PyTorch's repeat_if_defined), contiguous. */
static ct_tensor *repeat_param(cts_kctx *k, ct_tensor *p, int64_t n, bool *ok) {
    *ok = true;
    if (!p) return NULL;
    int64_t m = ct_numel(p), total = m * n;
    ct_tensor *pc = ku_contiguous(p, k->err), *r = pc ? ct_tensor_empty(p->dtype, 1, &total, k->err) : NULL;
    if (r) {
        size_t es = (size_t)ct_dtype_size(p->dtype);
        for (int64_t i = 0; i < n; i++)
            memcpy((char *)ct_data(r) + (size_t)(i * m) * es, ct_data(pc), (size_t)m * es);
    }
    ct_tensor_release(pc);
    if (!r) *ok = false;
    return r;
}

/* instance_norm as PyTorch: batch_norm of x viewed as (1, N*C, *) with the
 * parameters repeated N times; the running stats get the batch mean of the
 * per-instance updates. */
static int k_instance_norm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *w, *b, *rm, *rv;
    bool use_stats, cudnn;
    double momentum, eps;
    if (ku_tensor(&A, 0, &x) || ku_opt_tensor(&A, 1, &w) || ku_opt_tensor(&A, 2, &b) || ku_opt_tensor(&A, 3, &rm) ||
        ku_opt_tensor(&A, 4, &rv) || ku_bool(&A, 5, &use_stats) || ku_float(&A, 6, &momentum) ||
        ku_float(&A, 7, &eps) || ku_bool(&A, 8, &cudnn))
        return -1;
    if (!use_stats && !(rm && rv))
        return cts_err_set(k->err, "Expected running_mean and running_var to be defined when use_input_stats is false");
    if (x->ndim < 2) return dim_error(k, x->ndim, 1);
    int64_t bsz = x->sizes[0], c = x->sizes[1], shape[CT_MAX_DIMS];
    memcpy(shape, x->sizes, sizeof(int64_t) * (size_t)x->ndim);
    shape[0] = 1;
    shape[1] = bsz * c;
    bool ok[4];
    ct_tensor *w2 = repeat_param(k, w, bsz, &ok[0]), *b2 = repeat_param(k, b, bsz, &ok[1]);
    ct_tensor *rm2 = repeat_param(k, rm, bsz, &ok[2]), *rv2 = repeat_param(k, rv, bsz, &ok[3]);
    ct_tensor *xc = ok[0] && ok[1] && ok[2] && ok[3] ? ku_contiguous(x, k->err) : NULL;
    ct_tensor *xv = xc ? ct_view(xc, x->ndim, shape, k->err) : NULL;
    ct_tensor *y = xv ? bn_core(k, xv, w2, b2, rm2, rv2, use_stats, momentum, eps) : NULL, *r = NULL;
    if (y) {
        ct_tensor *const stats[2][2] = {{rm, rm2}, {rv, rv2}};
        for (int s = 0; s < 2; s++) {
            ct_tensor *dst = stats[s][0], *src = stats[s][1];
            if (!dst || bsz == 0) continue;
            for (int64_t ch = 0; ch < c; ch++) {
                double acc = 0;
                for (int64_t i = 0; i < bsz; i++) acc += param_at(src, i * c + ch, 0);
                param_set(dst, ch, acc / (double)bsz);
            }
        }
        r = ct_view(y, x->ndim, x->sizes, k->err);
    }
    ct_tensor_release(y);
    ct_tensor_release(xv);
    ct_tensor_release(xc);
    ct_tensor_release(w2);
    ct_tensor_release(b2);
    ct_tensor_release(rm2);
    ct_tensor_release(rv2);
    return ku_ret(outs, r);
}

/* ---- layer_norm ---- */

typedef struct ln_job {
    ct_dtype cd;
    const char *x;
    char *y;
    const char *w, *b;
    int64_t n;
    double eps;
    bool avx2;
} ln_job;

static void ln_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const ln_job *j = vj;
    for (int64_t r = b; r < e; r++) {
        double mean, m2;
        if (j->cd == CT_FLOAT64) {
            const double *x = (const double *)j->x + r * j->n;
            moments_d(x, j->n, &mean, &m2);
            double rstd = 1 / sqrt(m2 / (double)j->n + j->eps);
            rownorm_d(x, (double *)j->y + r * j->n, j->n, rstd, -mean * rstd, (const double *)j->w,
                      (const double *)j->b);
        } else {
            const float *x = (const float *)j->x + r * j->n;
            moments_f(x, j->n, &mean, &m2);
            double rstd = 1 / sqrt(m2 / (double)j->n + j->eps);
            float *y = (float *)j->y + r * j->n;
#ifdef NN_X86
            if (j->avx2) {
                rownorm_f_avx2(x, y, j->n, (float)rstd, (float)(-mean * rstd), (const float *)j->w,
                               (const float *)j->b);
                continue;
            }
#endif
            rownorm_f(x, y, j->n, (float)rstd, (float)(-mean * rstd), (const float *)j->w, (const float *)j->b);
        }
    }
}

static int k_layer_norm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *w, *b;
    int64_t ns[CT_MAX_DIMS];
    int nn;
    double eps;
    bool cudnn;
    char b1[256], b2[256];
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, ns, CT_MAX_DIMS, &nn) || ku_opt_tensor(&A, 2, &w) ||
        ku_opt_tensor(&A, 3, &b) || ku_float(&A, 4, &eps) || ku_bool(&A, 5, &cudnn))
        return -1;
    if (nn < 1)
        return cts_err_set(k->err,
                           "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []");
    ct_tensor *const wb[2] = {w, b};
    for (int i = 0; i < 2; i++)
        if (wb[i] && !ku_same_shape(wb[i]->ndim, wb[i]->sizes, nn, ns))
            return cts_err_set(k->err,
                               "Expected %s to be of same shape as normalized_shape, but got %s of shape %s and "
                               "normalized_shape = %s",
                               i ? "bias" : "weight", i ? "bias" : "weight", SHAPE(wb[i], b1),
                               ct_shape_str(nn, ns, b2, sizeof b2));
    if (x->ndim < nn || !ku_same_shape(nn, x->sizes + x->ndim - nn, nn, ns)) {
        char b3[512];
        size_t off = (size_t)snprintf(b3, sizeof b3, "[*");
        for (int i = 0; i < nn && off < sizeof b3; i++)
            off += (size_t)snprintf(b3 + off, sizeof b3 - off, ", %lld", (long long)ns[i]);
        return cts_err_set(k->err, "Given normalized_shape=%s, expected input with shape %s], but got input of size%s",
                           ct_shape_str(nn, ns, b1, sizeof b1), b3, SHAPE(x, b2));
    }
    if (!is_float(x->dtype)) return not_impl(k, "LayerNormKernelImpl", x->dtype);
    for (int i = 0; i < 2; i++)
        if (wb[i] && wb[i]->dtype != x->dtype)
            return cts_err_set(k->err, "expected scalar type %s but found %s", ku_dtype_tname(x->dtype),
                               ku_dtype_tname(wb[i]->dtype));
    ct_dtype cd = comp_dtype(x->dtype);
    ct_tensor *xc = as_dtype(k, x, cd), *wc = NULL, *bc = NULL, *y = NULL;
    if (xc && w) wc = as_dtype(k, w, cd);
    if (xc && (!w || wc) && b) bc = as_dtype(k, b, cd);
    if (xc && (!w || wc) && (!b || bc)) y = ct_tensor_empty(cd, x->ndim, x->sizes, k->err);
    if (y) {
        int64_t n = prod(ns, nn), rows = n ? ct_numel(x) / n : 0;
        ln_job j = {cd, ct_data(xc), ct_data(y), wc ? ct_data(wc) : NULL, bc ? ct_data(bc) : NULL, n, eps, use_avx2()};
        nn_par(k->pool, rows, (double)n * 6, ln_range, &j);
    }
    ct_tensor_release(xc);
    ct_tensor_release(wc);
    ct_tensor_release(bc);
    return ku_ret(outs, to_dtype_owned(k, y, x->dtype));
}

/* ---- group_norm ---- */

typedef struct gn_job {
    ct_dtype cd;
    const char *x;
    char *y;
    const ct_tensor *w, *b;
    int64_t c, g, hw;
    double eps;
    bool avx2;
} gn_job;

static void gn_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const gn_job *j = vj;
    int64_t cpg = j->c / j->g, n = cpg * j->hw;
    for (int64_t r = b; r < e; r++) { /* r = batch * G + group */
        int64_t off = r * n;
        double mean, m2;
        if (j->cd == CT_FLOAT64) moments_d((const double *)j->x + off, n, &mean, &m2);
        else moments_f((const float *)j->x + off, n, &mean, &m2);
        double rstd = 1 / sqrt(m2 / (double)n + j->eps);
        for (int64_t i = 0; i < cpg; i++) {
            int64_t ch = (r % j->g) * cpg + i, po = off + i * j->hw;
            double a = rstd * param_at(j->w, ch, 1), c = param_at(j->b, ch, 0) - mean * a;
            if (j->cd == CT_FLOAT64) {
                affine_d((const double *)j->x + po, (double *)j->y + po, j->hw, a, c);
            } else {
#ifdef NN_X86
                if (j->avx2) {
                    affine_f_avx2((const float *)j->x + po, (float *)j->y + po, j->hw, (float)a, (float)c);
                    continue;
                }
#endif
                affine_f((const float *)j->x + po, (float *)j->y + po, j->hw, (float)a, (float)c);
            }
        }
    }
}

static int k_group_norm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *w, *b;
    int64_t groups;
    double eps;
    bool cudnn;
    char b1[256], b2[256];
    if (ku_tensor(&A, 0, &x) || ku_int(&A, 1, &groups) || ku_opt_tensor(&A, 2, &w) || ku_opt_tensor(&A, 3, &b) ||
        ku_float(&A, 4, &eps) || ku_bool(&A, 5, &cudnn))
        return -1;
    if (x->ndim < 2) return dim_error(k, x->ndim, 1);
    int64_t c = x->sizes[1];
    if (groups <= 0) return cts_err_set(k->err, "Expected num groups to be greater than 0, got %lld", (long long)groups);
    if (c % groups != 0)
        return cts_err_set(k->err,
                           "Expected number of channels in input to be divisible by num_groups, but got input of shape "
                           "%s and num_groups=%lld",
                           SHAPE(x, b1), (long long)groups);
    /* PyTorch's bias message shows the weight's shape ([0] when None) */
    const char *wshape = w ? SHAPE(w, b2) : "[0]";
    if (w && !(w->ndim == 1 && ct_numel(w) == c))
        return cts_err_set(k->err,
                           "Expected weight to be a vector of size equal to the number of channels in input, but got "
                           "weight of shape %s and input of shape %s",
                           wshape, SHAPE(x, b1));
    if (b && !(b->ndim == 1 && ct_numel(b) == c))
        return cts_err_set(k->err,
                           "Expected bias to be a vector of size equal to the number of channels in input, but got "
                           "bias of shape %s and input of shape %s",
                           wshape, SHAPE(x, b1));
    if (!is_float(x->dtype)) return not_impl(k, "GroupNormKernelImpl", x->dtype);
    ct_tensor *const wb[2] = {w, b};
    for (int i = 0; i < 2; i++)
        if (wb[i] && wb[i]->dtype != x->dtype)
            return cts_err_set(k->err, "expected scalar type %s but found %s", ku_dtype_tname(x->dtype),
                               ku_dtype_tname(wb[i]->dtype));
    ct_dtype cd = comp_dtype(x->dtype);
    ct_tensor *xc = as_dtype(k, x, cd);
    ct_tensor *y = xc ? ct_tensor_empty(cd, x->ndim, x->sizes, k->err) : NULL;
    if (y && ct_numel(x) > 0) {
        gn_job j = {cd, ct_data(xc), ct_data(y), w, b, c, groups, prod(x->sizes + 2, x->ndim - 2), eps, use_avx2()};
        nn_par(k->pool, x->sizes[0] * groups, (double)(c / groups * j.hw) * 6, gn_range, &j);
    }
    ct_tensor_release(xc);
    return ku_ret(outs, to_dtype_owned(k, y, x->dtype));
}

/* ------------------------------------------------------------------------ */
/* dropout                                                                   */

static int dropout_impl(cts_kctx *k, const cv_value *args, int nargs, bool feature, bool inplace, bool alpha_kind,
                        cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    double p;
    bool train;
    if (ku_tensor(&A, 0, &x) || ku_float(&A, 1, &p) || ku_bool(&A, 2, &train)) return -1;
    if (!(p >= 0 && p <= 1))
        return cts_err_set(k->err, "dropout probability has to be between 0 and 1, but got %g", p);
    if (p == 0 || !train || ct_numel(x) == 0) return ku_ret_self(outs, x);
    if (p == 1) { /* input * 0: NaN and infinities stay NaN, as PyTorch */
        ku_scalar zero = ku_scalar_int(0);
        ct_tensor *y = inplace ? x : ku_to_dtype(x, x->dtype, k->err);
        if (!y) return -1;
        if (inplace && ku_check_internal_overlap(x, k->err)) return -1;
        if (y->dtype == CT_BOOL) {
            ku_fill(y, &zero);
        } else {
            /* multiply every element by zero in place */
            ct_iter it;
            ct_iter_init(&it, y);
            int es = ct_dtype_size(y->dtype);
            char *base = ct_data(y);
            if (ct_numel(y) > 0) do {
                    char *e = base + it.pos * es;
                    if (is_float(y->dtype)) ct_store_f64(e, y->dtype, ct_load_f64(e, y->dtype) * 0.0);
                    else ct_store_i64(e, y->dtype, 0);
                } while (ct_iter_next(&it));
        }
        return inplace ? ku_ret_self(outs, x) : ku_ret(outs, y);
    }
    if (feature && x->ndim < 2)
        return cts_err_set(k->err, "Feature dropout requires at least 2 dimensions in the input");
    if (x->dtype != CT_FLOAT32 && x->dtype != CT_FLOAT64)
        return cts_err_set(k->err, "dropout with train=True: cts supports float and double inputs, got %s",
                           ku_dtype_tname(x->dtype));
    /* PyTorch's _dropout_impl: noise ~ bernoulli(1 - p) (per (n, c) for feature dropout), scaled */
    int64_t nshape[CT_MAX_DIMS], inner = 1;
    for (int d = 0; d < x->ndim; d++) {
        nshape[d] = feature && d >= 2 ? 1 : x->sizes[d];
        if (feature && d >= 2) inner *= x->sizes[d];
    }
    ct_tensor *noise = ct_tensor_empty(x->dtype, x->ndim, nshape, k->err);
    if (!noise) return -1;
    if (cts_random_bernoulli_(noise, 1 - p, cts_generator_current(), k->err)) {
        ct_tensor_release(noise);
        return -1;
    }
    const double alpha = 1.7580993408473766;
    double a = alpha_kind ? 1. / sqrt((alpha * alpha * p + 1) * (1 - p)) : 1. / (1 - p);
    ct_tensor *y = ku_to_dtype(x, x->dtype, k->err); /* a contiguous copy */
    if (!y) {
        ct_tensor_release(noise);
        return -1;
    }
    int64_t n = ct_numel(y);
    bool f32 = y->dtype == CT_FLOAT32;
    /* in the input's precision, one rounding per step as PyTorch's tensor ops:
       dropout: x * (noise / (1 - p)); alpha: x * (noise * a) + ((noise - 1) * alpha * a + alpha * a * p) */
    for (int64_t i = 0; i < n; i++) {
        int64_t j = feature ? i / (inner ? inner : 1) : i;
        if (f32) {
            float keep = ((const float *)ct_data(noise))[j], v = ((float *)ct_data(y))[i], r;
            if (alpha_kind) {
                float b = (keep - 1.0f) * (float)(alpha * a);
                b = b + (float)(alpha * a * p);
                r = v * (keep * (float)a);
                r = r + b;
            } else {
                r = v * (keep / (float)(1 - p));
            }
            ((float *)ct_data(y))[i] = r;
        } else {
            double keep = ((const double *)ct_data(noise))[j], v = ((double *)ct_data(y))[i];
            double r = alpha_kind ? v * (keep * a) + ((keep - 1) * (alpha * a) + alpha * a * p) : v * (keep / (1 - p));
            ((double *)ct_data(y))[i] = r;
        }
    }
    ct_tensor_release(noise);
    if (!inplace) return ku_ret(outs, y);
    int rc = ku_check_internal_overlap(x, k->err) || ku_copy(x, y, k->err) ? -1 : 0;
    ct_tensor_release(y);
    if (rc) return -1;
    ct_storage_bump_version(x->storage);
    return ku_ret_self(outs, x);
}
static int k_dropout(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, false, false, false, o);
}
static int k_dropout_(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, false, true, false, o);
}
static int k_feature_dropout(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, true, false, false, o);
}
static int k_feature_dropout_(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, true, true, false, o);
}
static int k_alpha_dropout(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, false, false, true, o);
}
static int k_alpha_dropout_(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, false, true, true, o);
}
static int k_feature_alpha_dropout(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, true, false, true, o);
}
static int k_feature_alpha_dropout_(cts_kctx *k, const cv_value *a, int n, cv_value *o) {
    return dropout_impl(k, a, n, true, true, true, o);
}

/* ------------------------------------------------------------------------ */
/* embedding, index_select, gather                                          */

static bool index_dtype(ct_dtype d) { return d == CT_INT64 || d == CT_INT32; }
static int64_t index_at(const ct_tensor *ix, int64_t i) {
    const char *p = (const char *)ct_data(ix) + i * ct_dtype_size(ix->dtype);
    return ix->dtype == CT_INT32 ? *(const int32_t *)p : *(const int64_t *)p;
}

/* Rows of a contiguous [outer, dim, inner] tensor picked along dim by a
 * contiguous index (values already checked), into a new tensor of shape. */
static ct_tensor *take_rows(cts_kctx *k, ct_tensor *src, const ct_tensor *idx, int64_t outer, int64_t dimsz,
                            int64_t inner, int nd, const int64_t *shape) {
    ct_tensor *y = ct_tensor_empty(src->dtype, nd, shape, k->err);
    if (!y) return NULL;
    size_t row = (size_t)inner * (size_t)ct_dtype_size(src->dtype);
    int64_t n = ct_numel(idx);
    const char *s = ct_data(src);
    char *d = ct_data(y);
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < n; i++) {
            memcpy(d, s + (size_t)(o * dimsz + index_at(idx, i)) * row, row);
            d += row;
        }
    return y;
}

static int k_embedding(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *w, *ix;
    int64_t padding_idx;
    bool sgbf, sparse;
    if (ku_tensor(&A, 0, &w) || ku_tensor(&A, 1, &ix) || ku_int(&A, 2, &padding_idx) || ku_bool(&A, 3, &sgbf) ||
        ku_bool(&A, 4, &sparse))
        return -1;
    if (w->ndim != 2) return cts_err_set(k->err, "'weight' must be 2-D");
    if (!index_dtype(ix->dtype))
        return cts_err_set(k->err,
                           "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                           "Int; but got torch.%sTensor instead (while checking arguments for embedding)",
                           ku_dtype_tname(ix->dtype));
    ct_tensor *ic = ku_contiguous(ix, k->err);
    if (!ic) return -1;
    int64_t n = ct_numel(ic), v = w->sizes[0];
    for (int64_t i = 0; i < n; i++) {
        int64_t t = index_at(ic, i);
        if (t < 0 || t >= v) {
            ct_tensor_release(ic);
            return cts_err_set(k->err, "index out of range in self");
        }
    }
    int64_t shape[CT_MAX_DIMS];
    if (ix->ndim + 1 > CT_MAX_DIMS) {
        ct_tensor_release(ic);
        return cts_err_set(k->err, "embedding: indices have too many dimensions");
    }
    memcpy(shape, ix->sizes, sizeof(int64_t) * (size_t)ix->ndim);
    shape[ix->ndim] = w->sizes[1];
    ct_tensor *wc = ku_contiguous(w, k->err);
    ct_tensor *y = wc ? take_rows(k, wc, ic, 1, v, w->sizes[1], ix->ndim + 1, shape) : NULL;
    ct_tensor_release(wc);
    ct_tensor_release(ic);
    return ku_ret(outs, y);
}

static int k_index_select(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *ix;
    int64_t dim;
    if (ku_tensor(&A, 0, &x) || ku_int(&A, 1, &dim) || ku_tensor(&A, 2, &ix)) return -1;
    if ((dim = ct_wrap_dim(dim, x->ndim, k->err)) < 0) return -1;
    if (ix->ndim > 1) return cts_err_set(k->err, "index_select(): Index is supposed to be a vector");
    if (!index_dtype(ix->dtype)) return cts_err_set(k->err, "index_select(): Expected dtype int32 or int64 for index");
    int64_t n = ct_numel(ix), dimsz = x->ndim ? x->sizes[dim] : 1;
    ct_tensor *ic = ku_contiguous(ix, k->err);
    if (!ic) return -1;
    if (x->ndim > 1 && n == 0) { /* empty result, nothing checked */
    } else if (x->ndim > 1 && ct_numel(x) == 0) {
        ct_tensor_release(ic);
        return cts_err_set(k->err, "index_select(): self indexing axis dim should be positive");
    } else {
        for (int64_t i = 0; i < n; i++) {
            int64_t t = index_at(ic, i);
            if (t < 0 || t >= dimsz) {
                ct_tensor_release(ic);
                if (x->ndim > 1 && dim != 0)
                    return cts_err_set(k->err, "INDICES element is out of DATA bounds, id=%lld axis_dim=%lld",
                                       (long long)t, (long long)dimsz);
                return cts_err_set(k->err, "index out of range in self");
            }
        }
    }
    ct_tensor *y;
    if (x->ndim == 0) {
        y = ku_to_dtype(x, x->dtype, k->err);
    } else {
        int64_t shape[CT_MAX_DIMS];
        memcpy(shape, x->sizes, sizeof(int64_t) * (size_t)x->ndim);
        shape[dim] = n;
        ct_tensor *xc = ku_contiguous(x, k->err);
        y = xc ? take_rows(k, xc, ic, prod(x->sizes, (int)dim), dimsz, prod(x->sizes + dim + 1, x->ndim - (int)dim - 1),
                           x->ndim, shape)
               : NULL;
        ct_tensor_release(xc);
    }
    ct_tensor_release(ic);
    return ku_ret(outs, y);
}

static int k_gather(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *ix;
    int64_t dim;
    bool sparse_grad;
    char b1[256], b2[256];
    if (ku_tensor(&A, 0, &x) || ku_int(&A, 1, &dim) || ku_tensor(&A, 2, &ix) || ku_bool(&A, 3, &sparse_grad))
        return -1;
    if ((dim = ct_wrap_dim(dim, x->ndim, k->err)) < 0) return -1;
    if (ix->dtype != CT_INT64) return cts_err_set(k->err, "gather(): Expected dtype int64 for index");
    int xn = x->ndim ? x->ndim : 1, in = ix->ndim ? ix->ndim : 1;
    if (xn != in) return cts_err_set(k->err, "Index tensor must have the same number of dimensions as input tensor");
    int64_t xs[CT_MAX_DIMS], xst[CT_MAX_DIMS], is[CT_MAX_DIMS];
    for (int d = 0; d < xn; d++) {
        xs[d] = x->ndim ? x->sizes[d] : 1;
        xst[d] = x->ndim ? x->strides[d] : 0;
        is[d] = ix->ndim ? ix->sizes[d] : 1;
    }
    if (ct_numel(ix) == 0) return ku_ret(outs, ct_tensor_empty(x->dtype, ix->ndim, ix->sizes, k->err));
    for (int d = 0; d < xn; d++)
        if (d != dim && is[d] > xs[d])
            return cts_err_set(k->err,
                               "Size does not match at dimension %d expected index %s to be smaller than self %s apart "
                               "from dimension %lld",
                               d, SHAPE(ix, b1), SHAPE(x, b2), (long long)dim);
    ct_tensor *ic = ku_contiguous(ix, k->err);
    if (!ic) return -1;
    int64_t n = ct_numel(ic);
    const int64_t *iv = ct_data(ic);
    for (int64_t i = 0; i < n; i++)
        if (iv[i] < 0 || iv[i] >= xs[dim]) {
            ct_tensor_release(ic);
            return cts_err_set(k->err, "index %lld is out of bounds for dimension %lld with size %lld", (long long)iv[i],
                               (long long)dim, (long long)xs[dim]);
        }
    ct_tensor *y = ct_tensor_empty(x->dtype, ix->ndim, ix->sizes, k->err);
    if (y) {
        int es = ct_dtype_size(x->dtype);
        const char *src = ct_data(x);
        char *dst = ct_data(y);
        int64_t pos[CT_MAX_DIMS] = {0};
        for (int64_t i = 0; i < n; i++) {
            int64_t off = 0;
            for (int d = 0; d < xn; d++) off += (d == dim ? iv[i] : pos[d]) * xst[d];
            memcpy(dst + i * es, src + off * es, (size_t)es);
            for (int d = xn - 1; d >= 0; d--) {
                if (++pos[d] < is[d]) break;
                pos[d] = 0;
            }
        }
    }
    ct_tensor_release(ic);
    return ku_ret(outs, y);
}

/* ------------------------------------------------------------------------ */
/* padding                                                                   */

enum { PM_CONSTANT, PM_REFLECT, PM_REPLICATE, PM_CIRCULAR };

/* Pads the last m dims of x: pads[2*i], pads[2*i+1] are the left and right
 * pads of dim ndim-1-i (PyTorch's order).  Each output position maps to an
 * input index per dim (or -1: the fill value), so one gather serves every
 * mode; circular maps within the cropped input as PyTorch's _pad_circular. */
static ct_tensor *pad_run(cts_kctx *k, ct_tensor *x, int m, const int64_t *pads, int mode, const ku_scalar *fill) {
    int nd = x->ndim, lead = nd - m;
    if (m == 0) return ku_to_dtype(x, x->dtype, k->err); /* a copy, as PyTorch's clone */
    int64_t oshape[CT_MAX_DIMS], *maps[CT_MAX_DIMS] = {0};
    memcpy(oshape, x->sizes, sizeof(int64_t) * (size_t)nd);
    for (int i = 0; i < m; i++) {
        int d = nd - 1 - i;
        oshape[d] = x->sizes[d] + pads[2 * i] + pads[2 * i + 1];
    }
    ct_tensor *y = ct_tensor_empty(x->dtype, nd, oshape, k->err), *xc = NULL;
    if (!y) return NULL;
    if (ct_numel(y) == 0) return y;
    int es = ct_dtype_size(x->dtype);
    unsigned char fillv[16] = {0};
    if (mode == PM_CONSTANT && ku_scalar_store_checked(fillv, x->dtype, fill, k->err)) goto fail;
    if (!(xc = ku_contiguous(x, k->err))) goto fail;
    for (int i = 0; i < m; i++) {
        int d = nd - 1 - i;
        int64_t in = x->sizes[d], l = pads[2 * i], r = pads[2 * i + 1], out = oshape[d];
        if (!(maps[d] = malloc(sizeof(int64_t) * (size_t)out))) {
            cts_err_oom(k->err, "pad", sizeof(int64_t) * (size_t)out);
            goto fail;
        }
        int64_t cl = l < 0 ? -l : 0, cr = r < 0 ? -r : 0, cn = in - cl - cr, pl = l > 0 ? l : 0;
        for (int64_t o = 0; o < out; o++) {
            int64_t s = o - l;
            switch (mode) {
            case PM_CONSTANT: s = s >= 0 && s < in ? s : -1; break;
            case PM_REFLECT:
                if (s < 0) s = -s;
                if (s >= in) s = 2 * (in - 1) - s;
                if (s < 0 || s >= in) s = -1; /* not reached after PyTorch's checks */
                break;
            case PM_REPLICATE: s = s < 0 ? 0 : s >= in ? in - 1 : s; break;
            default: s = cn > 0 ? cl + (((o - pl) % cn) + cn) % cn : -1; break;
            }
            maps[d][o] = s;
        }
    }
    {
        int64_t istr[CT_MAX_DIMS], rows = 1, inner = oshape[nd - 1];
        ct_contiguous_strides(nd, x->sizes, istr);
        for (int d = 0; d < nd - 1; d++) rows *= oshape[d];
        const char *src = ct_data(xc);
        char *dst = ct_data(y);
        int64_t pos[CT_MAX_DIMS] = {0};
        const int64_t *mi = maps[nd - 1];
        for (int64_t rr = 0; rr < rows; rr++) {
            int64_t off = 0;
            bool filled = false;
            for (int d = 0; d < nd - 1; d++) {
                int64_t s = d < lead ? pos[d] : maps[d][pos[d]];
                if (s < 0) filled = true;
                off += s * istr[d];
            }
            char *o = dst + rr * inner * es;
            const char *srow = src + off * es;
            for (int64_t j = 0; j < inner; j++) {
                int64_t s = filled ? -1 : mi[j];
                memcpy(o + j * es, s < 0 ? (const char *)fillv : srow + s * es, (size_t)es);
            }
            for (int d = nd - 2; d >= 0; d--) {
                if (++pos[d] < oshape[d]) break;
                pos[d] = 0;
            }
        }
    }
    for (int d = 0; d < nd; d++) free(maps[d]);
    ct_tensor_release(xc);
    return y;
fail:
    for (int d = 0; d < nd; d++) free(maps[d]);
    ct_tensor_release(xc);
    ct_tensor_release(y);
    return NULL;
}

/* constant_pad_nd with PyTorch's checks: negative pads narrow the input
 * first (with narrow's errors). */
static ct_tensor *constant_pad(cts_kctx *k, ct_tensor *x, const int64_t *pads, int np, const ku_scalar *value) {
    if (np % 2) return cts_err_set(k->err, "Length of pad must be even but instead it equals %d", np), NULL;
    int nd = x->ndim, lp = np / 2;
    if (nd < lp)
        return cts_err_set(k->err,
                           "Length of pad should be no more than twice the number of dimensions of the input. Pad length "
                           "is %dwhile the input has %ddimensions.",
                           np, nd),
               NULL;
    int64_t cur[CT_MAX_DIMS];
    memcpy(cur, x->sizes, sizeof(int64_t) * (size_t)nd);
    bool all_nonpos = true;
    for (int d = nd - lp; d < nd; d++) {
        int pi = 2 * (nd - d - 1);
        for (int side = 0; side < 2; side++) {
            int64_t p = pads[pi + side];
            if (p < 0) { /* narrow(d, start, cur + p) */
                int64_t start = side == 0 ? -p : 0, len = cur[d] + p;
                if (start != cur[d] && start >= cur[d]) return dim_error(k, (int)cur[d], start), NULL;
                if (!(len >= 0 && start <= cur[d] - len))
                    return cts_err_set(k->err, "start (%lld) + length (%lld) exceeds dimension size (%lld).",
                                       (long long)start, (long long)len, (long long)cur[d]),
                           NULL;
                cur[d] = len;
            } else if (p != 0) {
                all_nonpos = false;
            }
        }
    }
    if (!all_nonpos)
        for (int i = 0; i < lp; i++) {
            int d = nd - lp + i, pi = np - (i + 1) * 2;
            int64_t nsz = x->sizes[d] + pads[pi] + pads[pi + 1];
            if (nsz <= 0)
                return cts_err_set(k->err,
                                   "The input size %lld, plus negative padding %lld and %lld resulted in a negative "
                                   "output size, which is invalid. Check dimension %d of your input.",
                                   (long long)x->sizes[d], (long long)pads[pi], (long long)pads[pi + 1], d),
                       NULL;
        }
    return pad_run(k, x, lp, pads, PM_CONSTANT, value);
}

static int k_constant_pad_nd(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t pads[2 * CT_MAX_DIMS + 2];
    int np;
    ku_scalar v;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, pads, 2 * CT_MAX_DIMS + 2, &np) || ku_scalar_arg(&A, 2, &v))
        return -1;
    return ku_ret(outs, constant_pad(k, x, pads, np, &v));
}

/* The first dims PyTorch's reflection/replication checks read: size(1)
 * and size(2) (errors on tensors with fewer dims, as PyTorch's). */
static int read_valid_dims(cts_kctx *k, const ct_tensor *x, bool *valid) {
    if (x->ndim < 2) return dim_error(k, x->ndim, 1);
    if (x->sizes[1] == 0) {
        *valid = false;
        return 0;
    }
    if (x->ndim < 3) return dim_error(k, x->ndim, 2);
    *valid = x->sizes[2] != 0;
    return 0;
}

static ct_tensor *reflection_pad(cts_kctx *k, ct_tensor *x, const int64_t *p, int np, int m) {
    char b[256];
    if (np != 2 * m) return cts_err_set(k->err, "padding size is expected to be %d", 2 * m), NULL;
    int nd = x->ndim;
    if (m == 1) {
        if (!((nd == 2 && x->sizes[1] != 0) || (nd == 3 && x->sizes[1] != 0 && x->sizes[2] != 0)))
            return cts_err_set(k->err, "2D or 3D (batch mode) tensor expected for input, but got: %s",
                               tensor_repr(x, b, sizeof b)),
                   NULL;
    } else if (m == 2) {
        bool valid;
        if (read_valid_dims(k, x, &valid)) return NULL;
        if (!((nd == 3 && valid) || (nd == 4 && valid && x->sizes[3] != 0)))
            return cts_err_set(k->err, "3D or 4D (batch mode) tensor expected for input, but got: %s",
                               tensor_repr(x, b, sizeof b)),
                   NULL;
    } else if (!(nd == 4 || nd == 5)) {
        return cts_err_set(k->err, "4D or 5D (batch mode) tensor expected for input, but got: %s",
                           tensor_repr(x, b, sizeof b)),
               NULL;
    }
    for (int i = 0; i < m; i++) {
        int d = nd - 1 - i;
        if (!(p[2 * i] < x->sizes[d] && p[2 * i + 1] < x->sizes[d])) {
            if (m == 1)
                return cts_err_set(k->err,
                                   "Argument #4: Padding size should be less than the corresponding input dimension, "
                                   "but got: padding (%lld, %lld) at dimension %d of input %s",
                                   (long long)p[0], (long long)p[1], d, SHAPE(x, b)),
                       NULL;
            return cts_err_set(k->err,
                               "Argument #%d: Padding size should be less than the corresponding input dimension, but "
                               "got: padding (%lld, %lld) at dimension %d of input %d",
                               4 + 2 * i, (long long)p[2 * i], (long long)p[2 * i + 1], d, nd),
                   NULL;
        }
    }
    int64_t ow = x->sizes[nd - 1] + p[0] + p[1], oh = m > 1 ? x->sizes[nd - 2] + p[2] + p[3] : 1;
    if (m == 1 && ow < 1)
        return cts_err_set(k->err, "2input (W: %lld)is too small. Calculated output W: %lld", (long long)x->sizes[nd - 1],
                           (long long)ow),
               NULL;
    if (m == 2 && ow < 1 && oh < 1)
        return cts_err_set(k->err, "input (H: %lld, W: %lld)is too small. Calculated output H: %lld W: %lld",
                           (long long)x->sizes[nd - 2], (long long)x->sizes[nd - 1], (long long)oh, (long long)ow),
               NULL;
    if (ow < 0 || oh < 0) {
        int64_t s[CT_MAX_DIMS];
        memcpy(s, x->sizes, sizeof(int64_t) * (size_t)nd);
        for (int i = 0; i < m; i++) s[nd - 1 - i] += p[2 * i] + p[2 * i + 1];
        return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: %s",
                           (long long)(ow < 0 ? ow : oh), ct_shape_str(nd, s, b, sizeof b)),
               NULL;
    }
    if (!is_float(x->dtype)) return not_impl(k, m == 1 ? "reflection_pad1d" : m == 2 ? "reflection_pad2d" : "reflection_pad3d", x->dtype), NULL;
    return pad_run(k, x, m, p, PM_REFLECT, NULL);
}

static ct_tensor *replication_pad(cts_kctx *k, ct_tensor *x, const int64_t *p, int np, int m) {
    char b[256];
    if (np != 2 * m) return cts_err_set(k->err, "padding size is expected to be %d", 2 * m), NULL;
    int nd = x->ndim;
    if (m == 1) {
        if (!((nd == 2 && x->sizes[0] != 0 && x->sizes[1] != 0) || (nd == 3 && x->sizes[1] != 0 && x->sizes[2] != 0)))
            return cts_err_set(k->err,
                               "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero "
                               "dimensions for input, but got: %s",
                               SHAPE(x, b)),
                   NULL;
    } else if (m == 2) {
        bool valid;
        if (read_valid_dims(k, x, &valid)) return NULL;
        if (!((nd == 3 && x->sizes[0] != 0 && valid) || (nd == 4 && valid && x->sizes[3] != 0)))
            return cts_err_set(k->err,
                               "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                               "dimensions for input, but got: %s",
                               SHAPE(x, b)),
                   NULL;
    } else if (!(nd == 4 || nd == 5)) {
        return cts_err_set(k->err,
                           "Expected 4D or 5D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           "dimensions for input, but got: %s",
                           SHAPE(x, b)),
               NULL;
    }
    int64_t ow = x->sizes[nd - 1] + p[0] + p[1], oh = m > 1 ? x->sizes[nd - 2] + p[2] + p[3] : 1;
    if (m == 1 && ow < 1)
        return cts_err_set(k->err, "input (W: %lld) is too small. Calculated output W: %lld", (long long)x->sizes[nd - 1],
                           (long long)ow),
               NULL;
    if (m == 2 && ow < 1 && oh < 1)
        return cts_err_set(k->err, "input (H: %lld, W: %lld ) is too small. Calculated output H: %lld W: %lld",
                           (long long)x->sizes[nd - 2], (long long)x->sizes[nd - 1], (long long)oh, (long long)ow),
               NULL;
    for (int i = 0; i < m; i++) {
        int64_t o = x->sizes[nd - 1 - i] + p[2 * i] + p[2 * i + 1];
        if (o < 0) {
            int64_t s[CT_MAX_DIMS];
            memcpy(s, x->sizes, sizeof(int64_t) * (size_t)nd);
            for (int q = 0; q < m; q++) s[nd - 1 - q] += p[2 * q] + p[2 * q + 1];
            return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: %s", (long long)o,
                               ct_shape_str(nd, s, b, sizeof b)),
                   NULL;
        }
    }
    if (!is_float(x->dtype))
        return not_impl(k, m == 1 ? "replication_pad1d" : m == 2 ? "replication_pad2d_cpu" : "replication_pad3d_cpu",
                        x->dtype),
               NULL;
    return pad_run(k, x, m, p, PM_REPLICATE, NULL);
}

static ct_tensor *circular_pad(cts_kctx *k, ct_tensor *x, const int64_t *p, int np) {
    int m = x->ndim - 2;
    if (np + 4 != 2 * x->ndim)
        return cts_err_set(k->err, "Invalid padding size, expected %d but got %d", m * 2, np), NULL;
    for (int i = 0; i < m; i++) {
        int d = x->ndim - 1 - i;
        if (!(p[2 * i] <= x->sizes[d] && p[2 * i + 1] <= x->sizes[d]))
            return cts_err_set(k->err, "Padding value causes wrapping around more than once."), NULL;
        if (x->sizes[d] + p[2 * i] + p[2 * i + 1] < 0)
            return cts_err_set(k->err, "Negative padding value is resulting in an empty dimension"), NULL;
    }
    return pad_run(k, x, m, p, PM_CIRCULAR, NULL);
}

static const char *const PAD_MODES[] = {"reflect", "replicate", "circular", "constant"};

/* _pad_enum: mode 0 reflect, 1 replicate, 2 circular, 3 constant. */
static ct_tensor *pad_enum(cts_kctx *k, ct_tensor *x, const int64_t *p, int np, int64_t mode, bool has_value,
                           double value) {
    if (np % 2) return cts_err_set(k->err, "Padding length must be divisible by 2"), NULL;
    if (np > x->ndim * 2) return cts_err_set(k->err, "Padding length too large"), NULL;
    if (mode < 0 || mode > 3) return cts_err_set(k->err, "Unrecognised padding mode %lld", (long long)mode), NULL;
    if (mode == 3) {
        ku_scalar v = ku_scalar_float(has_value ? value : 0.0);
        return constant_pad(k, x, p, np, &v);
    }
    if (has_value && value != 0)
        return cts_err_set(k->err, "Padding mode \"%s\" doesn't take in value argument", PAD_MODES[mode]), NULL;
    int nd = x->ndim, m = np / 2;
    if ((m == 1 && (nd == 2 || nd == 3)) || (m == 2 && (nd == 3 || nd == 4)) || (m == 3 && (nd == 4 || nd == 5))) {
        if (mode == 0) return reflection_pad(k, x, p, np, m);
        if (mode == 1) return replication_pad(k, x, p, np, m);
        return circular_pad(k, x, p, np);
    }
    return cts_err_set(k->err, "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now"), NULL;
}

#define PAD_LIST(A, i, p, np) ku_int_list((A), (i), (p), 2 * CT_MAX_DIMS + 2, (np))

static int k_pad(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t p[2 * CT_MAX_DIMS + 2];
    int np;
    const char *mode;
    double value = 0;
    bool has_value = false;
    if (ku_tensor(&A, 0, &x) || PAD_LIST(&A, 1, p, &np) || ku_str(&A, 2, &mode) ||
        opt_float(&A, 3, &value, &has_value))
        return -1;
    int64_t m = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(mode, PAD_MODES[i])) m = i;
    if (m < 0) return cts_err_set(k->err, "Unrecognised padding mode %s", mode);
    return ku_ret(outs, pad_enum(k, x, p, np, m, has_value, value));
}

static int k_pad_enum(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t p[2 * CT_MAX_DIMS + 2], mode;
    int np;
    double value = 0;
    bool has_value = false;
    if (ku_tensor(&A, 0, &x) || PAD_LIST(&A, 1, p, &np) || ku_int(&A, 2, &mode) ||
        opt_float(&A, 3, &value, &has_value))
        return -1;
    return ku_ret(outs, pad_enum(k, x, p, np, mode, has_value, value));
}

#define PAD_KERNEL(NAME, CALL)                                                                   \
    static int NAME(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {              \
        ku_args A = ku_args_of(k, args, nargs);                                                  \
        ct_tensor *x;                                                                            \
        int64_t p[2 * CT_MAX_DIMS + 2];                                                          \
        int np;                                                                                  \
        if (ku_tensor(&A, 0, &x) || PAD_LIST(&A, 1, p, &np)) return -1;                          \
        return ku_ret(outs, CALL);                                                               \
    }
PAD_KERNEL(k_reflection_pad1d, reflection_pad(k, x, p, np, 1))
PAD_KERNEL(k_reflection_pad2d, reflection_pad(k, x, p, np, 2))
PAD_KERNEL(k_reflection_pad3d, reflection_pad(k, x, p, np, 3))
PAD_KERNEL(k_replication_pad1d, replication_pad(k, x, p, np, 1))
PAD_KERNEL(k_replication_pad2d, replication_pad(k, x, p, np, 2))
PAD_KERNEL(k_replication_pad3d, replication_pad(k, x, p, np, 3))
PAD_KERNEL(k_pad_circular, circular_pad(k, x, p, np))

/* ------------------------------------------------------------------------ */
/* upsampling                                                                */


static const char *unimproved(const char *what) {
    return strcmp(what, "output") == 0
               ? "Expected static_cast<int64_t>(output_size->size()) == spatial_dimensions to be true, but got false.  "
                 "(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)"
               : "Expected static_cast<int64_t>(scale_factors->size()) == spatial_dimensions to be true, but got "
                 "false.  (Could this error message be improved?  If so, please report an enhancement request to "
                 "PyTorch.)";
}

typedef struct up_job {
    int64_t ih, iw, oh, ow;
    bool bilinear, align;
    bool has_sh, has_sw;
    double sh, sw;
    int es;
    ct_dtype dt;
    const char *x;
    char *y;
    const int64_t *hidx, *widx; /* source index per output row/col (bilinear: first of two) */
    const int64_t *hidx1, *widx1;
    const void *hw0, *hw1, *ww0, *ww1; /* bilinear weights, in the compute type */
    void *scratch;                     /* bilinear: 2 rows of ow per thread */
} up_job;

static float bf16r(float v) { return ct_bf16_to_float(ct_float_to_bf16(v)); }

/* PyTorch's source index of nearest upsampling.  Its channels-last kernel
 * uses nearest_idx (float arithmetic, exact shortcuts for 1x and 2x); the
 * generic one computes scale * o in the input's float type (bfloat16
 * rounding each step, double for double) and floors it as a float. */
static int64_t nearest_src(int64_t o, int64_t in, int64_t out, bool has_scale, double scale, ct_dtype dt, bool cl) {
    int64_t i;
    bool given = has_scale && scale > 0;
    if (cl) {
        if (out == in) return o;
        if (out == 2 * in) return o >> 1;
        float s = given ? (float)(1.0 / scale) : (float)in / (float)out;
        i = (int64_t)floorf((float)o * s);
    } else if (dt == CT_FLOAT64) {
        double s = given ? 1.0 / scale : (double)in / (double)out;
        i = (int64_t)floorf((float)(s * (double)o));
    } else if (dt == CT_BFLOAT16) {
        float s = given ? bf16r((float)(1.0 / scale)) : bf16r(bf16r((float)in) / bf16r((float)out));
        i = (int64_t)floorf(bf16r(s * bf16r((float)o)));
    } else {
        float s = given ? (float)(1.0 / scale) : (float)in / (float)out;
        i = (int64_t)floorf(s * (float)o);
    }
    return i < in - 1 ? i : in - 1;
}

/* at::Tensor::is_contiguous(ChannelsLast) of a 4-D tensor: size-1 dims
 * are skipped, so an NCHW tensor with one channel counts. */
static bool cl_contiguous(const ct_tensor *x) {
    static const int order[4] = {1, 3, 2, 0};
    int64_t expected = 1;
    for (int i = 0; i < 4; i++) {
        int d = order[i];
        if (x->sizes[d] != 1) {
            if (x->strides[d] != expected) return false;
            expected *= x->sizes[d];
        }
    }
    return true;
}

static void up_nearest_range(void *vj, int64_t b, int64_t e, int thread) {
    (void)thread;
    const up_job *j = vj;
    for (int64_t p = b; p < e; p++) {
        const char *x = j->x + p * j->ih * j->iw * j->es;
        char *y = j->y + p * j->oh * j->ow * j->es;
        for (int64_t oh = 0; oh < j->oh; oh++) {
            const char *xr = x + j->hidx[oh] * j->iw * j->es;
            char *yr = y + oh * j->ow * j->es;
            switch (j->es) {
            case 1:
                for (int64_t ow = 0; ow < j->ow; ow++) yr[ow] = xr[j->widx[ow]];
                break;
            case 2:
                for (int64_t ow = 0; ow < j->ow; ow++) ((uint16_t *)yr)[ow] = ((const uint16_t *)xr)[j->widx[ow]];
                break;
            case 4:
                for (int64_t ow = 0; ow < j->ow; ow++) ((uint32_t *)yr)[ow] = ((const uint32_t *)xr)[j->widx[ow]];
                break;
            default:
                for (int64_t ow = 0; ow < j->ow; ow++) ((uint64_t *)yr)[ow] = ((const uint64_t *)xr)[j->widx[ow]];
                break;
            }
        }
    }
}

/* area_pixel_compute_scale / area_pixel_compute_source_index and the
 * linear index/weight pair, in opmath type T. */
#define NN_LINEAR_IDX(NAME, T)                                                                           \
    static void NAME(int64_t o, int64_t in, int64_t out, bool align, bool has_scale, double scale,       \
                     int64_t *i0, int64_t *i1, T *l0, T *l1) {                                           \
        if (out == in) {                                                                                 \
            *i0 = *i1 = o;                                                                               \
            *l0 = 1;                                                                                     \
            *l1 = 0;                                                                                     \
            return;                                                                                      \
        }                                                                                                \
        T ratio = align ? (out > 1 ? (T)(in - 1) / (T)(out - 1) : (T)0)                                  \
                        : (has_scale && scale > 0 ? (T)(1.0 / scale) : (T)in / (T)out);                 \
        T real = align ? ratio * (T)o : ratio * ((T)o + (T)0.5) - (T)0.5;                                \
        if (!align && real < 0) real = 0;                                                                \
        int64_t a = (int64_t)real;                                                                       \
        if (a > in - 1) a = in - 1; /* PyTorch reads past the row here (user scales) */                  \
        *i0 = a;                                                                                         \
        *i1 = a + (a < in - 1 ? 1 : 0);                                                                  \
        T w = real - (T)a;                                                                               \
        *l1 = w < 0 ? 0 : w > 1 ? 1 : w;                                                                 \
        *l0 = (T)1 - *l1;                                                                                \
    }
NN_LINEAR_IDX(linear_idx_f, float)
NN_LINEAR_IDX(linear_idx_d, double)

/* Bilinear interpolation, separably: an input row interpolated along W
 * (t = x[w0] * lw0 + x[w1] * lw1, PyTorch's inner step) is cached, two at a
 * time, and output rows combine two of them (t0 * lh0 + t1 * lh1): the
 * same operations in the same order as PyTorch's kernel, done once per
 * input row instead of once per output pixel. */
#define NN_BILINEAR_PLANE(NAME, T)                                                                       \
    static void NAME##_hrow(const up_job *j, const T *xr, T *restrict t) {                               \
        const T *l0 = j->ww0, *l1 = j->ww1;                                                              \
        for (int64_t ow = 0; ow < j->ow; ow++) t[ow] = xr[j->widx[ow]] * l0[ow] + xr[j->widx1[ow]] * l1[ow]; \
    }                                                                                                    \
    static void NAME##_vrow(T *restrict y, const T *restrict t0, const T *restrict t1, int64_t n, T a,   \
                            T b) {                                                                       \
        int64_t i = 0;                                                                                   \
        for (; i + 8 <= n; i += 8)                                                                       \
            for (int u = 0; u < 8; u++) y[i + u] = t0[i + u] * a + t1[i + u] * b;                        \
        for (; i < n; i++) y[i] = t0[i] * a + t1[i] * b;                                                 \
    }                                                                                                    \
    static void NAME(const up_job *j, const T *x, T *y, T *buf) {                                        \
        int64_t tag[2] = {-1, -1};                                                                       \
        const T *hl0 = j->hw0, *hl1 = j->hw1;                                                            \
        for (int64_t oh = 0; oh < j->oh; oh++) {                                                         \
            int64_t want[2] = {j->hidx[oh], j->hidx1[oh]};                                               \
            T *rows[2];                                                                                  \
            for (int r = 0; r < 2; r++) {                                                                \
                int slot = tag[0] == want[r] ? 0 : tag[1] == want[r] ? 1 : -1;                           \
                if (slot < 0) { /* evict the slot the other row does not use */                        \
                    slot = (r == 1 && tag[0] == want[0]) ? 1 : 0;                                        \
                    if (r == 0 && tag[0] == want[1]) slot = 1;                                           \
                    NAME##_hrow(j, x + want[r] * j->iw, buf + slot * j->ow);                             \
                    tag[slot] = want[r];                                                                 \
                }                                                                                        \
                rows[r] = buf + slot * j->ow;                                                            \
            }                                                                                            \
            NAME##_vrow(y + oh * j->ow, rows[0], rows[1], j->ow, hl0[oh], hl1[oh]);                      \
        }                                                                                                \
    }
NN_BILINEAR_PLANE(bilinear_f, float)
NN_BILINEAR_PLANE(bilinear_d, double)

static void up_bilinear_range(void *vj, int64_t b, int64_t e, int thread) {
    const up_job *j = vj;
    for (int64_t p = b; p < e; p++) {
        if (j->dt == CT_FLOAT64)
            bilinear_d(j, (const double *)j->x + p * j->ih * j->iw, (double *)j->y + p * j->oh * j->ow,
                       (double *)j->scratch + (int64_t)thread * 2 * j->ow);
        else
            bilinear_f(j, (const float *)j->x + p * j->ih * j->iw, (float *)j->y + p * j->oh * j->ow,
                       (float *)j->scratch + (int64_t)thread * 2 * j->ow);
    }
}

/* Source indices and weights of bilinear upsampling along one dim. */
static void linear_table(ct_dtype cd, int64_t in, int64_t out, bool align, bool has_scale, double scale, int64_t *i0,
                         int64_t *i1, void *w0, void *w1) {
    for (int64_t o = 0; o < out; o++) {
        if (cd == CT_FLOAT64)
            linear_idx_d(o, in, out, align, has_scale, scale, &i0[o], &i1[o], (double *)w0 + o, (double *)w1 + o);
        else
            linear_idx_f(o, in, out, align, has_scale, scale, &i0[o], &i1[o], (float *)w0 + o, (float *)w1 + o);
    }
}

/* upsample_2d_common_check, then the kernel. */
static ct_tensor *upsample2d(cts_kctx *k, ct_tensor *x, const int64_t *os, int nos, bool bilinear, bool align,
                             bool has_sh, double sh, bool has_sw, double sw) {
    char b[256];
    if (nos != 2) return cts_err_set(k->err, "It is expected output_size equals to 2, but got size %d", nos), NULL;
    if (x->ndim != 4) return cts_err_set(k->err, "It is expected input_size equals to 4, but got size %d", x->ndim), NULL;
    int64_t ih = x->sizes[2], iw = x->sizes[3], oh = os[0], ow = os[1];
    if (!(ih > 0 && iw > 0 && oh > 0 && ow > 0))
        return cts_err_set(k->err,
                           "Input and output sizes should be greater than 0, but got input (H: %lld, W: %lld) output "
                           "(H: %lld, W: %lld)",
                           (long long)ih, (long long)iw, (long long)oh, (long long)ow),
               NULL;
    if (ct_numel(x) == 0 && prod(x->sizes + 1, 3) == 0)
        return cts_err_set(k->err, "Non-empty 4D data tensor expected but got a tensor with sizes %s", SHAPE(x, b)),
               NULL;
    bool cl = cl_contiguous(x); /* PyTorch's kernel choice, and its name in errors */
    const char *name = bilinear ? (cl ? "upsample_bilinear2d_channels_last" : "compute_indices_weights_linear")
                                : (cl ? "upsample_nearest2d_channels_last" : "compute_indices_weights_nearest");
    if (!is_float(x->dtype) && (bilinear || x->dtype != CT_UINT8)) return not_impl(k, name, x->dtype), NULL;
    int64_t shape[4] = {x->sizes[0], x->sizes[1], oh, ow};
    ct_dtype cd = bilinear ? comp_dtype(x->dtype) : x->dtype;
    ct_tensor *xc = as_dtype(k, x, cd);
    ct_tensor *y = xc ? ct_tensor_empty(cd, 4, shape, k->err) : NULL;
    /* indices (2 per output row and column), weights (as many, in the
     * compute type) and 2 scratch rows per thread */
    int nt = cts_pool_nthreads(k->pool);
    size_t ni = (size_t)(oh + ow) * 2, nsc = (size_t)nt * 2 * (size_t)ow;
    size_t bytes = ni * sizeof(int64_t) + (bilinear ? (ni + nsc) * sizeof(double) : 0);
    int64_t *idx = y ? malloc(bytes) : NULL;
    if (y && !idx) cts_err_oom(k->err, "upsample", bytes);
    if (idx) {
        double *wts = (double *)(idx + ni);
        up_job j = {ih, iw, oh, ow, bilinear, align, has_sh, has_sw, sh, sw, ct_dtype_size(cd), cd, ct_data(xc),
                    ct_data(y), idx, idx + oh, idx + oh + ow, idx + 2 * oh + ow, NULL, NULL, NULL, NULL, NULL};
        int64_t planes = x->sizes[0] * x->sizes[1];
        if (bilinear) {
            j.hw0 = wts, j.hw1 = wts + oh, j.ww0 = wts + 2 * oh, j.ww1 = wts + 2 * oh + ow;
            j.scratch = wts + ni;
            linear_table(cd, ih, oh, align, has_sh, sh, idx, idx + oh + ow, wts, wts + oh);
            linear_table(cd, iw, ow, align, has_sw, sw, idx + oh, idx + 2 * oh + ow, wts + 2 * oh, wts + 2 * oh + ow);
            nn_par(k->pool, planes, (double)(oh * ow) * 4 + (double)(ih * ow) * 4, up_bilinear_range, &j);
        } else {
            for (int64_t i = 0; i < oh; i++) idx[i] = nearest_src(i, ih, oh, has_sh, sh, x->dtype, cl);
            for (int64_t i = 0; i < ow; i++) idx[oh + i] = nearest_src(i, iw, ow, has_sw, sw, x->dtype, cl);
            nn_par(k->pool, planes, (double)(oh * ow), up_nearest_range, &j);
        }
    }
    free(idx);
    ct_tensor_release(xc);
    if (!idx) {
        ct_tensor_release(y);
        return NULL;
    }
    return to_dtype_owned(k, y, x->dtype);
}

/* The .vec overloads: compute_output_size. */
static ct_tensor *upsample2d_vec(cts_kctx *k, ct_tensor *x, const ku_args *A, int osi, int sfi, bool bilinear,
                                 bool align) {
    int64_t os[CT_MAX_DIMS];
    double sf[CT_MAX_DIMS];
    int nos = -1, nsf = -1;
    if (ku_opt_int_list(A, osi, os, CT_MAX_DIMS, &nos) || opt_float_list(A, sfi, sf, CT_MAX_DIMS, &nsf)) return NULL;
    int spatial = x->ndim - 2;
    if (nos >= 0) {
        if (nsf >= 0) return cts_err_set(k->err, "Must specify exactly one of output_size and scale_factors"), NULL;
        if (nos != spatial) return cts_err_set(k->err, "%s", unimproved("output")), NULL;
        return upsample2d(k, x, os, nos, bilinear, align, false, 0, false, 0);
    }
    if (nsf < 0) return cts_err_set(k->err, "Must specify exactly one of output_size and scale_factors"), NULL;
    if (nsf != spatial) return cts_err_set(k->err, "%s", unimproved("scale")), NULL;
    for (int i = 0; i < nsf; i++) {
        double v = (double)x->sizes[i + 2] * sf[i];
        if (!(v > -9.2e18 && v < 9.2e18)) return cts_err_set(k->err, "upsample: output size out of range"), NULL;
        os[i] = (int64_t)v;
    }
    return upsample2d(k, x, os, nsf, bilinear, align, true, nsf > 0 ? sf[0] : 0, true, nsf > 1 ? sf[1] : 0);
}

static int k_upsample_nearest2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t os[CT_MAX_DIMS];
    int nos;
    double sh = 0, sw = 0;
    bool hh, hw;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, os, CT_MAX_DIMS, &nos) || opt_float(&A, 2, &sh, &hh) ||
        opt_float(&A, 3, &sw, &hw))
        return -1;
    return ku_ret(outs, upsample2d(k, x, os, nos, false, false, hh, sh, hw, sw));
}

static int k_upsample_nearest2d_vec(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    return ku_ret(outs, upsample2d_vec(k, x, &A, 1, 2, false, false));
}

static int k_upsample_bilinear2d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t os[CT_MAX_DIMS];
    int nos;
    bool align, hh, hw;
    double sh = 0, sw = 0;
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, os, CT_MAX_DIMS, &nos) || ku_bool(&A, 2, &align) ||
        opt_float(&A, 3, &sh, &hh) || opt_float(&A, 4, &sw, &hw))
        return -1;
    return ku_ret(outs, upsample2d(k, x, os, nos, true, align, hh, sh, hw, sw));
}

static int k_upsample_bilinear2d_vec(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    bool align;
    if (ku_tensor(&A, 0, &x) || ku_bool(&A, 2, &align)) return -1;
    return ku_ret(outs, upsample2d_vec(k, x, &A, 1, 3, true, align));
}

/* ------------------------------------------------------------------------ */
/* upsampling over 1 to 3 spatial dims: nearest (1d, 3d), nearest-exact,    */
/* linear / trilinear, bicubic, and the antialiased bilinear / bicubic      */

/* Each spatial dim gets a table of `taps` source indices and weights per
 * output position (PyTorch's compute_indices_weights_*), computed in the
 * kernel's float type; an output element is the sum over all tap
 * combinations of the weight products times the source value, computed in
 * double and rounded once (PyTorch interpolates dim by dim in the float
 * type: results agree to rounding).  Nearest modes copy values exactly. */
enum { UPN_NEAREST, UPN_EXACT, UPN_LINEAR, UPN_CUBIC, UPN_AA_LINEAR, UPN_AA_CUBIC };

typedef struct upn_tab {
    int64_t in, out;
    int taps;
    int64_t *idx; /* out * taps */
    double *w;
} upn_tab;

/* area_pixel_compute_scale in the compute type (float unless double) */
static double upn_scale(int64_t in, int64_t out, bool align, bool has_scale, double scale, bool dbl) {
    if (align) return out > 1 ? (dbl ? (double)(in - 1) / (double)(out - 1) : (double)((float)(in - 1) / (float)(out - 1))) : 0;
    if (has_scale && scale > 0) return dbl ? 1.0 / scale : (double)(float)(1.0 / scale);
    return dbl ? (double)in / (double)out : (double)((float)in / (float)out);
}

static double cubic1(double x, double a) { return ((a + 2) * x - (a + 3)) * x * x + 1; }
static double cubic2(double x, double a) { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; }
static double aa_lin(double x) {
    x = fabs(x);
    return x < 1 ? 1 - x : 0;
}
static double aa_cub(double x) {
    x = fabs(x);
    return x < 1 ? cubic1(x, -0.5) : x < 2 ? cubic2(x, -0.5) : 0;
}

/* Fills t (t->in, t->out set) for mode; 0 or -1 (out of memory). */
static int upn_table(cts_kctx *k, upn_tab *t, int mode, bool align, bool has_scale, double scale, ct_dtype dt) {
    bool dbl = dt == CT_FLOAT64;
    double sc = upn_scale(t->in, t->out, align, has_scale, scale, dbl), support = 0;
    switch (mode) {
    case UPN_NEAREST:
    case UPN_EXACT: t->taps = 1; break;
    case UPN_LINEAR: t->taps = 2; break;
    case UPN_CUBIC: t->taps = 4; break;
    default:
        support = (mode == UPN_AA_LINEAR ? 1.0 : 2.0) * (sc >= 1 ? sc : 1);
        t->taps = (int)ceil(support) * 2 + 1;
        break;
    }
    size_t n = (size_t)(t->out * t->taps);
    t->idx = malloc(sizeof(int64_t) * (n ? n : 1));
    t->w = malloc(sizeof(double) * (n ? n : 1));
    if (!t->idx || !t->w) return cts_err_oom(k->err, "upsample", n * 16);
    for (int64_t o = 0; o < t->out; o++) {
        int64_t *ix = t->idx + o * t->taps;
        double *w = t->w + o * t->taps;
        switch (mode) {
        case UPN_NEAREST:
            ix[0] = nearest_src(o, t->in, t->out, has_scale, scale, dt, false);
            w[0] = 1;
            break;
        case UPN_EXACT: {
            /* nearest_neighbor_exact_compute_source_index: a float scale
             * (PyTorch 1.13 lacks bfloat16 here: cts computes as float32) */
            float s = (float)sc;
            int64_t i = (int64_t)floorf((float)(((double)o + 0.5) * (double)s));
            ix[0] = i < t->in - 1 ? i : t->in - 1;
            w[0] = 1;
            break;
        }
        case UPN_LINEAR: {
            if (dbl) {
                double l0, l1;
                linear_idx_d(o, t->in, t->out, align, has_scale, scale, &ix[0], &ix[1], &l0, &l1);
                w[0] = l0, w[1] = l1;
            } else {
                float l0, l1;
                linear_idx_f(o, t->in, t->out, align, has_scale, scale, &ix[0], &ix[1], &l0, &l1);
                w[0] = l0, w[1] = l1;
            }
            break;
        }
        case UPN_CUBIC: {
            double real = align ? sc * (double)o : sc * ((double)o + 0.5) - 0.5;
            if (!dbl) real = (float)real;
            double fl = floor(real), tt = real - fl;
            if (!dbl) tt = (float)tt;
            double c[4] = {cubic2(tt + 1, -0.75), cubic1(tt, -0.75), cubic1(1 - tt, -0.75), cubic2(2 - tt, -0.75)};
            for (int j = 0; j < 4; j++) {
                int64_t i = (int64_t)fl - 1 + j;
                ix[j] = i < 0 ? 0 : i > t->in - 1 ? t->in - 1 : i;
                w[j] = dbl ? c[j] : (double)(float)c[j];
            }
            break;
        }
        default: {
            double center = sc * ((double)o + 0.5), inv = sc >= 1 ? 1 / sc : 1, total = 0;
            int64_t xmin = (int64_t)(center - support + 0.5), xmax = (int64_t)(center + support + 0.5);
            if (xmin < 0) xmin = 0;
            if (xmax > t->in) xmax = t->in;
            for (int j = 0; j < t->taps; j++) { /* taps past the window: index -1, never read */
                ix[j] = xmin + j < xmax ? xmin + j : -1;
                w[j] = xmin + j < xmax ? (mode == UPN_AA_LINEAR ? aa_lin : aa_cub)(((double)(j + xmin) - center + 0.5) * inv)
                                       : 0;
                total += w[j];
            }
            for (int j = 0; j < t->taps; j++)
                if (total != 0) w[j] /= total;
            break;
        }
        }
    }
    return 0;
}

static const char *const UPN_NAMES[] = {"compute_indices_weights_nearest", "compute_indices_weights_nearest",
                                        "compute_indices_weights_linear", "compute_indices_weights_cubic",
                                        "compute_indices_weights_aa", "compute_indices_weights_aa"};

/* The upsampling of x (N, C, spatial...) to os with per-dim scales. */
static ct_tensor *upsample_nd(cts_kctx *k, ct_tensor *x, int sp, const int64_t *os, int nos, int mode, bool align,
                              const bool *has_s, const double *s) {
    char b1[128];
    if (nos != sp) return cts_err_set(k->err, "It is expected output_size equals to %d, but got size %d", sp, nos), NULL;
    if (x->ndim != sp + 2)
        return cts_err_set(k->err, "It is expected input_size equals to %d, but got size %d", sp + 2, x->ndim), NULL;
    bool ok = true;
    for (int d = 0; d < sp; d++) ok = ok && x->sizes[2 + d] > 0 && os[d] > 0;
    if (!ok) {
        static const char *const dn[3][3] = {{"W"}, {"H", "W"}, {"D", "H", "W"}};
        char in[96] = "", out[96] = "";
        for (int d = 0; d < sp; d++) {
            size_t li = strlen(in), lo = strlen(out);
            snprintf(in + li, sizeof in - li, "%s%s: %lld", d ? ", " : "", dn[sp - 1][d], (long long)x->sizes[2 + d]);
            snprintf(out + lo, sizeof out - lo, "%s%s: %lld", d ? ", " : "", dn[sp - 1][d], (long long)os[d]);
        }
        return cts_err_set(k->err, "Input and output sizes should be greater than 0, but got input (%s)%s output (%s)",
                           in, sp == 1 ? " and" : "", out),
               NULL;
    }
    if (ct_numel(x) == 0)
        return cts_err_set(k->err, "Non-empty %dD data tensor expected but got a tensor with sizes %s", sp + 2,
                           SHAPE(x, b1)),
               NULL;
    bool nearest = mode == UPN_NEAREST || mode == UPN_EXACT;
    bool aa = mode == UPN_AA_LINEAR || mode == UPN_AA_CUBIC;
    if (aa ? !(x->dtype == CT_FLOAT32 || x->dtype == CT_FLOAT64)
           : !(is_float(x->dtype) || (nearest && x->dtype == CT_UINT8)))
        return not_impl(k, aa ? "compute_indices_weights_aa" : UPN_NAMES[mode], x->dtype), NULL;
    ct_dtype cd = nearest ? x->dtype : comp_dtype(x->dtype);
    upn_tab t[3];
    memset(t, 0, sizeof t);
    int rc = 0;
    for (int d = 0; d < 3 && rc == 0; d++) {
        if (d < sp) {
            t[d].in = x->sizes[2 + d], t[d].out = os[d];
            rc = upn_table(k, &t[d], mode, align, has_s[d], s[d], x->dtype);
        } else { /* a dummy dim of size 1 */
            t[d].in = t[d].out = 1, t[d].taps = 1;
            t[d].idx = calloc(1, sizeof(int64_t));
            t[d].w = malloc(sizeof(double));
            if (!t[d].idx || !t[d].w) rc = cts_err_oom(k->err, "upsample", 16);
            else t[d].w[0] = 1;
        }
    }
    ct_tensor *xc = rc == 0 ? as_dtype(k, x, cd) : NULL;
    int64_t shape[5] = {x->sizes[0], x->sizes[1], 1, 1, 1};
    for (int d = 0; d < sp; d++) shape[2 + d] = os[d];
    ct_tensor *y = xc ? ct_tensor_empty(cd, sp + 2, shape, k->err) : NULL;
    if (y) {
        int64_t planes = x->sizes[0] * x->sizes[1];
        int64_t i0 = t[0].in, i1 = t[1].in, i2 = t[2].in, o0 = t[0].out, o1 = t[1].out, o2 = t[2].out;
        int es = ct_dtype_size(cd);
        const char *src = ct_data(xc);
        char *dst = ct_data(y);
        for (int64_t p = 0; p < planes; p++)
            for (int64_t a = 0; a < o0; a++)
                for (int64_t bb = 0; bb < o1; bb++)
                    for (int64_t c = 0; c < o2; c++) {
                        char *out = dst + (((p * o0 + a) * o1 + bb) * o2 + c) * es;
                        const char *plane = src + p * i0 * i1 * i2 * es;
                        if (nearest) {
                            int64_t off = (t[0].idx[a] * i1 + t[1].idx[bb]) * i2 + t[2].idx[c];
                            memcpy(out, plane + off * es, (size_t)es);
                            continue;
                        }
                        double acc = 0;
                        for (int j0 = 0; j0 < t[0].taps; j0++) {
                            double w0 = t[0].w[a * t[0].taps + j0];
                            int64_t r0 = t[0].idx[a * t[0].taps + j0];
                            if (r0 < 0) continue;
                            for (int j1 = 0; j1 < t[1].taps; j1++) {
                                double w1 = w0 * t[1].w[bb * t[1].taps + j1];
                                int64_t q1 = t[1].idx[bb * t[1].taps + j1], r1 = r0 * i1 + q1;
                                if (q1 < 0) continue;
                                for (int j2 = 0; j2 < t[2].taps; j2++) {
                                    int64_t q2 = t[2].idx[c * t[2].taps + j2];
                                    if (q2 < 0) continue;
                                    acc += w1 * t[2].w[c * t[2].taps + j2] * ct_load_f64(plane + (r1 * i2 + q2) * es, cd);
                                }
                            }
                        }
                        ct_store_f64(out, cd, acc);
                    }
    }
    for (int d = 0; d < 3; d++) {
        free(t[d].idx);
        free(t[d].w);
    }
    ct_tensor_release(xc);
    return y ? to_dtype_owned(k, y, x->dtype) : NULL;
}

/* The .vec overloads: output_size xor scale_factors (compute_output_size). */
static ct_tensor *upsample_nd_vec(cts_kctx *k, const ku_args *A, int sp, int mode, bool align, int osi, int sfi) {
    ct_tensor *x;
    int64_t os[CT_MAX_DIMS];
    double sf[CT_MAX_DIMS];
    int nos = -1, nsf = -1;
    if (ku_tensor(A, 0, &x) || ku_opt_int_list(A, osi, os, CT_MAX_DIMS, &nos) ||
        opt_float_list(A, sfi, sf, CT_MAX_DIMS, &nsf))
        return NULL;
    bool has[3] = {false, false, false};
    double s[3] = {0, 0, 0};
    int spatial = x->ndim - 2;
    if (nos >= 0) {
        if (nsf >= 0) return cts_err_set(k->err, "Must specify exactly one of output_size and scale_factors"), NULL;
        if (nos != spatial) return cts_err_set(k->err, "%s", unimproved("output")), NULL;
        return upsample_nd(k, x, sp, os, nos, mode, align, has, s);
    }
    if (nsf < 0) return cts_err_set(k->err, "Must specify exactly one of output_size and scale_factors"), NULL;
    if (nsf != spatial) return cts_err_set(k->err, "%s", unimproved("scale")), NULL;
    for (int i = 0; i < nsf; i++) {
        double v = (double)x->sizes[i + 2] * sf[i];
        if (!(v > -9.2e18 && v < 9.2e18)) return cts_err_set(k->err, "upsample: output size out of range"), NULL;
        os[i] = (int64_t)v;
        if (i < 3) has[i] = true, s[i] = sf[i];
    }
    return upsample_nd(k, x, sp, os, nsf, mode, align, has, s);
}

#define K_UPN_VEC(fname, sp, mode, has_align)                                                     \
    static int fname(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {              \
        ku_args A = ku_args_of(k, args, nargs);                                                   \
        bool align = false;                                                                       \
        if (has_align && ku_bool(&A, 2, &align)) return -1;                                       \
        return ku_ret(outs, upsample_nd_vec(k, &A, sp, mode, align, 1, has_align ? 3 : 2));       \
    }
K_UPN_VEC(k_upsample_nearest1d_vec, 1, UPN_NEAREST, false)
K_UPN_VEC(k_upsample_nearest3d_vec, 3, UPN_NEAREST, false)
K_UPN_VEC(k_upsample_nearest_exact1d_vec, 1, UPN_EXACT, false)
K_UPN_VEC(k_upsample_nearest_exact2d_vec, 2, UPN_EXACT, false)
K_UPN_VEC(k_upsample_nearest_exact3d_vec, 3, UPN_EXACT, false)
K_UPN_VEC(k_upsample_linear1d_vec, 1, UPN_LINEAR, true)
K_UPN_VEC(k_upsample_trilinear3d_vec, 3, UPN_LINEAR, true)
K_UPN_VEC(k_upsample_bicubic2d_vec, 2, UPN_CUBIC, true)
K_UPN_VEC(k_upsample_bilinear2d_aa_vec, 2, UPN_AA_LINEAR, true)
K_UPN_VEC(k_upsample_bicubic2d_aa_vec, 2, UPN_AA_CUBIC, true)

/* adaptive_avg_pool3d: windows [floor(o * in / out), ceil((o + 1) * in / out))
 * per dim, averaged in double */
static int k_adaptive_avg_pool3d(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t os[CT_MAX_DIMS];
    int n;
    char b[256];
    if (ku_tensor(&A, 0, &x) || ku_int_list(&A, 1, os, CT_MAX_DIMS, &n)) return -1;
    if (n != 3) return cts_err_set(k->err, "adaptive_avg_pool3d: output_size must be 3");
    if (x->ndim != 4 && x->ndim != 5)
        return cts_err_set(k->err, "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got %s", SHAPE(x, b));
    for (int i = 1; i < x->ndim; i++)
        if (x->sizes[i] <= 0)
            return cts_err_set(k->err,
                               "adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch dimensions, "
                               "but input has sizes %s with dimension %d being empty",
                               SHAPE(x, b), i);
    for (int i = 0; i < 3; i++)
        if (os[i] < 0)
            return cts_err_set(k->err, "adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0");
    if (!is_float(x->dtype)) return not_impl(k, "adaptive_avg_pool3d_cpu", x->dtype);
    ct_tensor *xc = as_dtype(k, x, CT_FLOAT64);
    if (!xc) return -1;
    int nd = x->ndim;
    int64_t shape[5];
    memcpy(shape, x->sizes, sizeof(int64_t) * (size_t)nd);
    for (int i = 0; i < 3; i++) shape[nd - 3 + i] = os[i];
    ct_tensor *y = ct_tensor_empty(x->dtype, nd, shape, k->err);
    if (!y) {
        ct_tensor_release(xc);
        return -1;
    }
    int64_t in[3] = {x->sizes[nd - 3], x->sizes[nd - 2], x->sizes[nd - 1]};
    int64_t planes = prod(x->sizes, nd - 3), es = ct_dtype_size(x->dtype);
    const double *src = ct_data(xc);
    char *dst = ct_data(y);
    int64_t at = 0;
    for (int64_t p = 0; p < planes; p++)
        for (int64_t a = 0; a < os[0]; a++)
            for (int64_t bb = 0; bb < os[1]; bb++)
                for (int64_t c = 0; c < os[2]; c++) {
                    int64_t o[3] = {a, bb, c}, lo[3], hi[3];
                    for (int d = 0; d < 3; d++) {
                        lo[d] = (int64_t)floorf((float)(o[d] * in[d]) / (float)os[d]);
                        hi[d] = (int64_t)ceilf((float)((o[d] + 1) * in[d]) / (float)os[d]);
                    }
                    double s = 0;
                    for (int64_t i = lo[0]; i < hi[0]; i++)
                        for (int64_t j = lo[1]; j < hi[1]; j++)
                            for (int64_t l = lo[2]; l < hi[2]; l++) s += src[((p * in[0] + i) * in[1] + j) * in[2] + l];
                    double cnt = (double)((hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]));
                    ct_store_f64(dst + (at++) * es, x->dtype, s / cnt);
                }
    ct_tensor_release(xc);
    return ku_ret(outs, y);
}

/* ------------------------------------------------------------------------ */
/* relu6 (hardtanh(0, 6); the pointwise family has hardtanh itself)         */

static void clamp06(char *p, int64_t n, ct_dtype dt) {
    int es = ct_dtype_size(dt);
    if (dt == CT_FLOAT32) {
        float *x = (float *)p;
        for (int64_t i = 0; i < n; i++) x[i] = x[i] < 0.0f ? 0.0f : x[i] > 6.0f ? 6.0f : x[i];
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        char *e = p + i * es;
        if (is_float(dt)) {
            double v = ct_load_f64(e, dt);
            ct_store_f64(e, dt, v < 0 ? 0 : v > 6 ? 6 : v);
        } else {
            int64_t v = ct_load_i64(e, dt);
            ct_store_i64(e, dt, v < 0 ? 0 : v > 6 ? 6 : v);
        }
    }
}

static int relu6_impl(cts_kctx *k, const cv_value *args, int nargs, bool inplace, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    if (x->dtype == CT_BOOL) return cts_err_set(k->err, "Bool inputs not supported for hardtanh");
    if (inplace && ku_check_internal_overlap(x, k->err)) return -1;
    if (inplace && ct_is_contiguous(x)) {
        clamp06(ct_data(x), ct_numel(x), x->dtype);
        return ku_ret_self(outs, x);
    }
    ct_tensor *y = ku_to_dtype(x, x->dtype, k->err);
    if (!y) return -1;
    clamp06(ct_data(y), ct_numel(y), y->dtype);
    if (!inplace) return ku_ret(outs, y);
    int rc = ku_copy(x, y, k->err);
    ct_tensor_release(y);
    return rc ? -1 : ku_ret_self(outs, x);
}
static int k_relu6(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return relu6_impl(k, a, n, false, o); }
static int k_relu6_(cts_kctx *k, const cv_value *a, int n, cv_value *o) { return relu6_impl(k, a, n, true, o); }

/* ------------------------------------------------------------------------ */
/* tensor and runtime queries                                                */

static int k_prim_dtype(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    outs[0] = cv_int(x->dtype);
    return 0;
}
static int k_prim_device(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    outs[0] = cv_device(0, -1);
    return 0;
}
static int k_prim_requires_grad(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    outs[0] = cv_bool(x->requires_grad);
    return 0;
}
/* is_cuda, is_nested, is_sparse, ...: every cts tensor is a dense CPU one */
static int k_prim_false(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    outs[0] = cv_bool(false);
    return 0;
}
static int k_prim_layout(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    outs[0] = cv_int(0); /* torch.strided */
    return 0;
}
static int k_prim_data(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    ct_tensor *y = ct_alias(x, k->err);
    if (y) y->requires_grad = false;
    return ku_ret(outs, y);
}
static int k_num_to_tensor(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ku_scalar s;
    if (ku_scalar_arg(&A, 0, &s)) return -1;
    if (s.kind == KU_FLOAT) return ku_ret(outs, ct_tensor_scalar_f64(CT_FLOAT64, s.f, k->err));
    return ku_ret(outs, ct_tensor_scalar_i64(s.kind == KU_BOOL ? CT_BOOL : CT_INT64, s.i, k->err));
}
static int k_shape_as_tensor(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    if (ku_tensor(&A, 0, &x)) return -1;
    int64_t n = x->ndim;
    ct_tensor *y = ct_tensor_empty(CT_INT64, 1, &n, k->err);
    if (y) memcpy(ct_data(y), x->sizes, sizeof(int64_t) * (size_t)n);
    return ku_ret(outs, y);
}
static int k_false(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    (void)k, (void)args, (void)nargs;
    outs[0] = cv_bool(false);
    return 0;
}
/* aten::warn: Python's warnings print "UserWarning: <message>" on stderr. */
static int k_warn(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    const char *msg;
    (void)outs;
    if (ku_str(&A, 0, &msg)) return -1;
    fprintf(stderr, "UserWarning: %s\n", msg);
    return 0;
}

/* ------------------------------------------------------------------------ */

/* ---- advanced indexing: index.Tensor, index_put_, index_put ---- */

/* PyTorch's advanced indexing plan: each entry of `indices` indexes one dim
 * of self (None: the whole dim; a bool/uint8 mask: as many dims as it has,
 * replaced by its nonzero() coordinates; an int64 tensor: one dim).  The
 * index tensors broadcast to one shape B; the result has B in place of the
 * indexed dims when these are adjacent, else B first, then the other dims
 * in order. */
typedef struct adv_plan {
    ct_tensor *idx[CT_MAX_DIMS]; /* per self dim: contiguous int64 of shape B, or NULL */
    int nb;
    int64_t bshape[CT_MAX_DIMS];
    int bpos;                    /* result dim where B starts */
    int rnd;
    int64_t rshape[CT_MAX_DIMS];
    int rdim_of[CT_MAX_DIMS];    /* result dim of each non-indexed self dim */
} adv_plan;

static void adv_free(adv_plan *p) {
    for (int d = 0; d < CT_MAX_DIMS; d++) ct_tensor_release(p->idx[d]);
}

/* The nonzero() coordinates of mask, which covers self dims [d, d + mask->ndim),
 * as mask->ndim new int64 tensors of length nnz stored in raw[d..]. */
static int adv_mask(cts_kctx *k, const ct_tensor *self, ct_tensor *mask, int d, ct_tensor **raw) {
    char a[256], b[256];
    for (int j = 0; j < mask->ndim; j++)
        if (mask->sizes[j] != self->sizes[d + j])
            return cts_err_set(k->err,
                               "The shape of the mask %s at index %d does not match the shape of the indexed tensor %s "
                               "at index %d",
                               ct_shape_str(mask->ndim, mask->sizes, a, sizeof a), j,
                               ct_shape_str(self->ndim, self->sizes, b, sizeof b), d + j);
    ct_tensor *m = ku_to_dtype(mask, CT_UINT8, k->err);
    if (!m) return -1;
    const uint8_t *mv = ct_data(m);
    int64_t n = ct_numel(m), nnz = 0;
    for (int64_t i = 0; i < n; i++) nnz += mv[i] != 0;
    for (int j = 0; j < mask->ndim; j++)
        if (!(raw[d + j] = ct_tensor_empty(CT_INT64, 1, &nnz, k->err))) {
            ct_tensor_release(m);
            return -1;
        }
    int64_t at = 0, coord[CT_MAX_DIMS] = {0};
    for (int64_t i = 0; i < n; i++) {
        if (mv[i]) {
            for (int j = 0; j < mask->ndim; j++) ((int64_t *)ct_data(raw[d + j]))[at] = coord[j];
            at++;
        }
        for (int j = mask->ndim - 1; j >= 0; j--) {
            if (++coord[j] < mask->sizes[j]) break;
            coord[j] = 0;
        }
    }
    ct_tensor_release(m);
    return 0;
}

static int adv_plan_init(cts_kctx *k, ct_tensor *self, const cv_value *list, adv_plan *p) {
    memset(p, 0, sizeof *p);
    if (list->tag != CV_LIST || !list->u.l) return cts_err_set(k->err, "indices: expected a list of optional tensors");
    const cv_list *l = list->u.l;
    ct_tensor *raw[CT_MAX_DIMS] = {0};
    int d = 0, rc = -1;
    for (size_t j = 0; j < l->len; j++) {
        const cv_value *v = &l->items[j];
        ct_tensor *t = v->tag == CV_TENSOR ? v->u.t : NULL;
        if (v->tag != CV_NONE && !t) {
            cts_err_set(k->err, "indices: item %zu is %s, expected a Tensor or None", j, cv_tag_name(v->tag));
            goto done; /* releases the indices taken so far */
        }
        int used = t && (t->dtype == CT_BOOL || t->dtype == CT_UINT8) ? t->ndim : 1;
        if (d + used > self->ndim) {
            cts_err_set(k->err, "too many indices for tensor of dimension %d (got %zu)", self->ndim, l->len);
            goto done;
        }
        if (!t) {
            d++;
            continue;
        }
        if (t->dtype == CT_BOOL || t->dtype == CT_UINT8) {
            if (t->ndim == 0) {
                cts_err_set(k->err, "indexing with a 0-dim boolean tensor is not supported by cts");
                goto done;
            }
            if (adv_mask(k, self, t, d, raw)) goto done;
        } else if (t->dtype == CT_INT64) {
            ct_tensor_retain(t);
            raw[d] = t;
        } else {
            cts_err_set(k->err, "tensors used as indices must be long, byte or bool tensors");
            goto done;
        }
        d += used;
    }
    ct_tensor *def[CT_MAX_DIMS];
    int ndef = 0, first = -1, last = -1;
    for (int i = 0; i < self->ndim; i++)
        if (raw[i]) {
            def[ndef++] = raw[i];
            if (first < 0) first = i;
            last = i;
        }
    if (ndef == 0) {
        cts_err_set(k->err, "index: at least one index must be a tensor");
        goto done;
    }
    cts_err tmp = {0};
    p->nb = ku_broadcast(ndef, def, p->bshape, &tmp);
    if (p->nb < 0) {
        char msg[512] = "", one[256];
        for (int i = 0; i < ndef; i++) {
            if (i) strncat(msg, ", ", sizeof msg - strlen(msg) - 1);
            strncat(msg, ct_shape_str(def[i]->ndim, def[i]->sizes, one, sizeof one), sizeof msg - strlen(msg) - 1);
        }
        cts_err_set(k->err, "shape mismatch: indexing tensors could not be broadcast together with shapes %s", msg);
        goto done;
    }
    for (int i = 0; i < self->ndim; i++)
        if (raw[i]) {
            ct_tensor *e = ct_expand(raw[i], p->nb, p->bshape, k->err);
            p->idx[i] = e ? ku_to_dtype(e, CT_INT64, k->err) : NULL;
            ct_tensor_release(e);
            if (!p->idx[i]) goto done;
        }
    bool adjacent = true;
    for (int i = first; i <= last; i++) adjacent = adjacent && raw[i];
    p->bpos = adjacent ? first : 0;
    int r = 0;
    if (!adjacent) r = p->nb;
    for (int i = 0; i < self->ndim; i++) {
        if (adjacent && i == first) r += p->nb;
        if (raw[i]) continue;
        p->rdim_of[i] = r;
        p->rshape[r++] = self->sizes[i];
    }
    for (int i = 0; i < p->nb; i++) p->rshape[p->bpos + i] = p->bshape[i];
    p->rnd = r;
    if (r > CT_MAX_DIMS) {
        cts_err_set(k->err, "index: result has more than %d dims", CT_MAX_DIMS);
        goto done;
    }
    rc = 0;
done:
    for (int i = 0; i < CT_MAX_DIMS; i++) ct_tensor_release(raw[i]);
    if (rc) adv_free(p);
    return rc;
}

/* Calls fn(ctx, self element offset, result element number) for every
 * result element, in row-major order; bounds-checks the indices. */
typedef void (*adv_visit)(void *ctx, int64_t self_off, int64_t r);
static int adv_walk(cts_kctx *k, const ct_tensor *self, const adv_plan *p, adv_visit fn, void *ctx) {
    int64_t rn = 1, rc[CT_MAX_DIMS] = {0};
    for (int d = 0; d < p->rnd; d++) rn *= p->rshape[d];
    for (int64_t r = 0; r < rn; r++) {
        int64_t blin = 0;
        for (int i = 0; i < p->nb; i++) blin = blin * p->bshape[i] + rc[p->bpos + i];
        int64_t off = self->offset;
        for (int d = 0; d < self->ndim; d++) {
            int64_t j;
            if (p->idx[d]) {
                j = ((const int64_t *)ct_data(p->idx[d]))[blin];
                int64_t sz = self->sizes[d];
                if (j < -sz || j >= sz)
                    return cts_err_set(k->err, "index %lld is out of bounds for dimension %d with size %lld",
                                       (long long)j, d, (long long)sz);
                if (j < 0) j += sz;
            } else {
                j = rc[p->rdim_of[d]];
            }
            off += j * self->strides[d];
        }
        fn(ctx, off, r);
        for (int d = p->rnd - 1; d >= 0; d--) {
            if (++rc[d] < p->rshape[d]) break;
            rc[d] = 0;
        }
    }
    return 0;
}

typedef struct adv_ctx {
    char *base;      /* self's storage data */
    char *vals;      /* contiguous values / output */
    int esz;
    ct_dtype dt;
} adv_ctx;

static void adv_get(void *vc, int64_t off, int64_t r) {
    adv_ctx *c = vc;
    memcpy(c->vals + r * c->esz, c->base + off * c->esz, (size_t)c->esz);
}
static void adv_put(void *vc, int64_t off, int64_t r) {
    adv_ctx *c = vc;
    memcpy(c->base + off * c->esz, c->vals + r * c->esz, (size_t)c->esz);
}
static void adv_add(void *vc, int64_t off, int64_t r) {
    adv_ctx *c = vc;
    void *dst = c->base + off * c->esz;
    const void *src = c->vals + r * c->esz;
    if (c->dt == CT_BOOL) *(uint8_t *)dst = *(uint8_t *)dst || *(const uint8_t *)src;
    else if (ct_dtype_is_float(c->dt)) ct_store_f64(dst, c->dt, ct_load_f64(dst, c->dt) + ct_load_f64(src, c->dt));
    else
        ct_store_i64(dst, c->dt,
                     (int64_t)((uint64_t)ct_load_i64(dst, c->dt) + (uint64_t)ct_load_i64(src, c->dt)));
}

static int k_index(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    if (nargs < 2) return cts_err_set(k->err, "index: missing indices");
    adv_plan p;
    if (adv_plan_init(k, self, &args[1], &p)) return -1;
    ct_tensor *out = ct_tensor_empty(self->dtype, p.rnd, p.rshape, k->err);
    adv_ctx c = {(char *)self->storage->data, out ? ct_data(out) : NULL, ct_dtype_size(self->dtype), self->dtype};
    if (out && adv_walk(k, self, &p, adv_get, &c)) {
        ct_tensor_release(out);
        out = NULL;
    }
    adv_free(&p);
    return ku_ret(outs, out);
}

/* self[indices] = values (accumulate: +=), in place */
static int index_put_into(cts_kctx *k, ct_tensor *self, const cv_value *indices, ct_tensor *values, bool accumulate) {
    if (values->dtype != self->dtype)
        return cts_err_set(k->err,
                           "Index put requires the source and destination dtypes match, got %s for the destination "
                           "and %s for the source.",
                           ku_dtype_tname(self->dtype), ku_dtype_tname(values->dtype));
    adv_plan p;
    if (adv_plan_init(k, self, indices, &p)) return -1;
    cts_err tmp = {0};
    ct_tensor *e = ct_expand(values, p.rnd, p.rshape, &tmp);
    if (!e) {
        char a[256], b[256];
        adv_free(&p);
        return cts_err_set(k->err, "shape mismatch: value tensor of shape %s cannot be broadcast to indexing result of shape %s",
                           ct_shape_str(values->ndim, values->sizes, a, sizeof a),
                           ct_shape_str(p.rnd, p.rshape, b, sizeof b));
    }
    ct_tensor *v = ku_to_dtype(e, self->dtype, k->err); /* a copy: values may alias self */
    ct_tensor_release(e);
    int rc = -1;
    if (v) {
        adv_ctx c = {(char *)self->storage->data, ct_data(v), ct_dtype_size(self->dtype), self->dtype};
        rc = adv_walk(k, self, &p, accumulate ? adv_add : adv_put, &c);
    }
    ct_tensor_release(v);
    adv_free(&p);
    return rc;
}

static int k_index_put_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *values;
    bool acc;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 2, &values) || ku_bool(&A, 3, &acc)) return -1;
    if (ku_check_internal_overlap(self, k->err) || index_put_into(k, self, &args[1], values, acc)) return -1;
    return ku_ret_self(outs, self);
}

static int k_index_put(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *values;
    bool acc;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 2, &values) || ku_bool(&A, 3, &acc)) return -1;
    ct_tensor *c = ku_to_dtype(self, self->dtype, k->err);
    if (!c) return -1;
    if (index_put_into(k, c, &args[1], values, acc)) {
        ct_tensor_release(c);
        return -1;
    }
    return ku_ret(outs, c);
}

/* ---- pointwise losses ---- */

enum { LOSS_MSE, LOSS_L1, LOSS_SMOOTH_L1, LOSS_HUBER };

/* The loss of each element (computed in double, rounded to the result
 * dtype, as PyTorch computes it in that dtype), then reduction 0 none,
 * 1 mean, 2 sum.  l1_loss is PyTorch's composite (input - target).abs(), so
 * it also takes integers (but the mean of integers is an error). */
static int pointwise_loss(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *y;
    int64_t red;
    double beta = 1;
    if (ku_tensor(&A, 0, &x) || ku_tensor(&A, 1, &y) || ku_int(&A, 2, &red) ||
        (kind >= LOSS_SMOOTH_L1 && ku_float(&A, 3, &beta)))
        return -1;
    static const char *const kname[] = {"mse_cpu", "l1_loss", "smooth_l1_cpu", "huber_cpu"};
    ct_dtype rt = ku_result_tt(x, y);
    if (kind == LOSS_L1 && x->dtype == CT_BOOL && y->dtype == CT_BOOL)
        return cts_err_set(k->err, "Subtraction, the `-` operator, with two bool tensors is not supported. "
                                   "Use the `^` or `logical_xor()` operator instead.");
    if (kind == LOSS_L1 && (x->dtype == CT_BOOL || y->dtype == CT_BOOL))
        return cts_err_set(k->err, "Subtraction, the `-` operator, with a bool tensor is not supported. "
                                   "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    bool ok = ct_dtype_is_float(rt);
    if (kind == LOSS_L1) ok = rt != CT_BOOL;
    if (!ok) return cts_err_set(k->err, "\"%s\" not implemented for '%s'", kname[kind], ku_dtype_tname(rt));
    if (kind == LOSS_SMOOTH_L1 && beta < 0)
        return cts_err_set(k->err, "smooth_l1_loss does not support negative values for beta.");
    if (kind == LOSS_HUBER && !(beta > 0))
        return cts_err_set(k->err, "huber_loss does not support non-positive values for delta.");
    if (red < 0 || red > 2)
        return cts_err_set(k->err, "reduction must be 0 (none), 1 (mean) or 2 (sum), got %lld", (long long)red);
    if (red == 1 && !ct_dtype_is_float(rt))
        return cts_err_set(k->err,
                           "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           "complex dtype. Got: %s",
                           ku_dtype_tname(rt));
    ct_tensor *xy[2] = {x, y};
    int64_t shape[CT_MAX_DIMS];
    int nd = ku_broadcast(2, xy, shape, k->err);
    if (nd < 0) return -1;
    bool is_float = ct_dtype_is_float(rt);
    ct_dtype wide = is_float ? CT_FLOAT64 : CT_INT64;
    ct_tensor *ex = ct_expand(x, nd, shape, k->err);
    ct_tensor *ey = ex ? ct_expand(y, nd, shape, k->err) : NULL;
    /* through rt first: PyTorch casts the operands to the common dtype */
    ct_tensor *rx = ey ? ku_to_dtype(ex, rt, k->err) : NULL;
    ct_tensor *ry = rx ? ku_to_dtype(ey, rt, k->err) : NULL;
    ct_tensor *wx = ry ? ku_to_dtype(rx, wide, k->err) : NULL;
    ct_tensor *wy = wx ? ku_to_dtype(ry, wide, k->err) : NULL;
    ct_tensor *loss = wy ? ct_tensor_empty(rt, nd, shape, k->err) : NULL;
    ct_tensor_release(ex);
    ct_tensor_release(ey);
    ct_tensor_release(rx);
    ct_tensor_release(ry);
    if (!loss) {
        ct_tensor_release(wx);
        ct_tensor_release(wy);
        return -1;
    }
    int64_t n = ct_numel(loss);
    int esz = ct_dtype_size(rt);
    char *o = ct_data(loss);
    double total = 0;
    int64_t itotal = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!is_float) { /* l1 on integers: wrapping |x - y| */
            int64_t dlt = (int64_t)((uint64_t)((const int64_t *)ct_data(wx))[i] - (uint64_t)((const int64_t *)ct_data(wy))[i]);
            ct_store_i64(o + i * esz, rt, dlt < 0 ? (int64_t)(0 - (uint64_t)dlt) : dlt);
            itotal = (int64_t)((uint64_t)itotal + (uint64_t)ct_load_i64(o + i * esz, rt));
            continue;
        }
        double z = ((const double *)ct_data(wx))[i] - ((const double *)ct_data(wy))[i], az = fabs(z), l;
        switch (kind) {
        case LOSS_MSE: l = z * z; break;
        case LOSS_L1: l = az; break;
        case LOSS_SMOOTH_L1: l = beta == 0 ? az : az < beta ? 0.5 * z * z / beta : az - 0.5 * beta; break;
        default: l = az < beta ? 0.5 * z * z : beta * (az - 0.5 * beta); break;
        }
        ct_store_f64(o + i * esz, rt, l);
        total += ct_load_f64(o + i * esz, rt);
    }
    ct_tensor_release(wx);
    ct_tensor_release(wy);
    if (red == 0) return ku_ret(outs, loss);
    ct_tensor_release(loss);
    ct_tensor *r = ct_tensor_empty(rt, 0, NULL, k->err);
    if (!r) return -1;
    if (is_float) ct_store_f64(ct_data(r), rt, red == 1 ? (n ? total / (double)n : NAN) : total);
    else ct_store_i64(ct_data(r), rt, itotal);
    return ku_ret(outs, r);
}

static int k_mse_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return pointwise_loss(k, args, nargs, LOSS_MSE, outs);
}
static int k_l1_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return pointwise_loss(k, args, nargs, LOSS_L1, outs);
}
static int k_smooth_l1_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return pointwise_loss(k, args, nargs, LOSS_SMOOTH_L1, outs);
}
static int k_huber_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return pointwise_loss(k, args, nargs, LOSS_HUBER, outs);
}

/* binary_cross_entropy: (t - 1) * max(log(1 - x), -100) - t * max(log(x), -100),
 * times weight; the loss has input's shape (PyTorch iterates over the
 * squeezed input and target); float32 and float64 only, as in PyTorch. */
static int k_binary_cross_entropy(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x, *t, *w;
    int64_t red;
    if (ku_tensor(&A, 0, &x) || ku_tensor(&A, 1, &t) || ku_opt_tensor(&A, 2, &w) || ku_int(&A, 3, &red)) return -1;
    if (x->dtype != CT_FLOAT32 && x->dtype != CT_FLOAT64)
        return cts_err_set(k->err, "\"binary_cross_entropy\" not implemented for '%s'", ku_dtype_tname(x->dtype));
    if (t->dtype != x->dtype)
        return cts_err_set(k->err, "Found dtype %s but expected %s", ku_dtype_tname(t->dtype), ku_dtype_tname(x->dtype));
    if (w && w->dtype != x->dtype)
        return cts_err_set(k->err, "Found dtype %s but expected %s", ku_dtype_tname(w->dtype), ku_dtype_tname(x->dtype));
    if (red < 0 || red > 2)
        return cts_err_set(k->err, "reduction must be 0 (none), 1 (mean) or 2 (sum), got %lld", (long long)red);
    int64_t n = ct_numel(x);
    if (ct_numel(t) != n) {
        ct_tensor *xt[2] = {x, t};
        int64_t shape[CT_MAX_DIMS];
        if (ku_broadcast(2, xt, shape, k->err) < 0) return -1;
        return cts_err_set(k->err, "binary_cross_entropy: target has %lld elements, input %lld", (long long)ct_numel(t),
                           (long long)n);
    }
    ct_tensor *we = NULL;
    if (w) {
        cts_err tmp = {0};
        if (!(we = ct_expand(w, x->ndim, x->sizes, &tmp))) {
            char a[256], b[256];
            return cts_err_set(k->err, "binary_cross_entropy: weight of shape %s does not broadcast to input shape %s",
                               ct_shape_str(w->ndim, w->sizes, a, sizeof a), ct_shape_str(x->ndim, x->sizes, b, sizeof b));
        }
    }
    ct_tensor *dx = ku_to_dtype(x, CT_FLOAT64, k->err);
    ct_tensor *dt = dx ? ku_to_dtype(t, CT_FLOAT64, k->err) : NULL;
    ct_tensor *dw = dt && we ? ku_to_dtype(we, CT_FLOAT64, k->err) : NULL;
    ct_tensor_release(we);
    ct_tensor *loss = dt && (dw || !w) ? ct_tensor_empty(x->dtype, x->ndim, x->sizes, k->err) : NULL;
    int rc = -1;
    double total = 0;
    if (loss) {
        const double *xv = ct_data(dx), *tv = ct_data(dt), *wv = dw ? ct_data(dw) : NULL;
        int esz = ct_dtype_size(x->dtype);
        rc = 0;
        for (int64_t i = 0; i < n && rc == 0; i++) {
            double xi = xv[i], ti = tv[i];
            if (!(xi >= 0 && xi <= 1)) {
                rc = cts_err_set(k->err, "all elements of input should be between 0 and 1");
                break;
            }
            double l = (ti - 1) * fmax(log(1 - xi), -100) - ti * fmax(log(xi), -100);
            if (wv) l *= wv[i];
            ct_store_f64((char *)ct_data(loss) + i * esz, x->dtype, l);
            total += ct_load_f64((char *)ct_data(loss) + i * esz, x->dtype);
        }
    }
    ct_tensor_release(dx);
    ct_tensor_release(dt);
    ct_tensor_release(dw);
    if (rc || red == 0) {
        if (rc) ct_tensor_release(loss);
        return rc ? -1 : ku_ret(outs, loss);
    }
    ct_tensor_release(loss);
    ct_tensor *r = ct_tensor_empty(x->dtype, 0, NULL, k->err);
    if (!r) return -1;
    ct_store_f64(ct_data(r), x->dtype, red == 1 ? (n ? total / (double)n : NAN) : total);
    return ku_ret(outs, r);
}

/* ---- more losses: soft_margin, kl_div, hinge_embedding, margin_ranking,
 * binary_cross_entropy_with_logits, poisson_nll, cosine_embedding,
 * triplet_margin; PyTorch composes them of pointwise ops, cts computes
 * each element in double and rounds it to the promoted dtype ---- */

enum { XL_SOFT_MARGIN, XL_KL_DIV, XL_HINGE, XL_MARGIN_RANK, XL_BCE_LOGITS, XL_POISSON };

typedef struct xloss_par {
    double margin, eps;
    bool log_target, log_input, full, has_w, has_pw;
} xloss_par;

/* apply_loss_reduction of PyTorch: 1 mean, 2 sum, anything else none;
 * takes vals (n doubles) of a loss of rt and shape nd/shape */
static int loss_reduce(cts_kctx *k, ct_dtype rt, int nd, const int64_t *shape, const double *vals, int64_t red,
                       cv_value *outs) {
    ct_tensor *loss = ct_tensor_empty(rt, nd, shape, k->err);
    if (!loss) return -1;
    int64_t n = ct_numel(loss);
    int esz = ct_dtype_size(rt);
    char *o = ct_data(loss);
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        ct_store_f64(o + i * esz, rt, vals[i]);
        total += ct_load_f64(o + i * esz, rt);
    }
    if (red != 1 && red != 2) return ku_ret(outs, loss);
    ct_tensor_release(loss);
    ct_tensor *r = ct_tensor_empty(rt, 0, NULL, k->err);
    if (!r) return -1;
    ct_store_f64(ct_data(r), rt, red == 1 ? (n ? total / (double)n : NAN) : total);
    return ku_ret(outs, r);
}

/* Broadcasts the n tensors (NULL entries skipped) to one shape and returns
 * contiguous float64 copies in d (NULL for NULL entries). */
static int loss_operands(cts_kctx *k, int n, ct_tensor *const *ts, ct_tensor **d, int *nd, int64_t *shape) {
    ct_tensor *live[8];
    int m = 0;
    for (int i = 0; i < n; i++) {
        d[i] = NULL;
        if (ts[i]) live[m++] = ts[i];
    }
    *nd = ku_broadcast(m, live, shape, k->err);
    if (*nd < 0) return -1;
    for (int i = 0; i < n; i++) {
        if (!ts[i]) continue;
        ct_tensor *e = ct_expand(ts[i], *nd, shape, k->err);
        d[i] = e ? ku_to_dtype(e, CT_FLOAT64, k->err) : NULL;
        ct_tensor_release(e);
        if (!d[i]) {
            for (int j = 0; j < i; j++) ct_tensor_release(d[j]);
            return -1;
        }
    }
    return 0;
}

static int xloss_run(cts_kctx *k, const char *name, int kind, int n, ct_tensor *const *ts, ct_dtype rt, const xloss_par *p,
                     int64_t red, cv_value *outs) {
    if (!ct_dtype_is_float(rt))
        return cts_err_set(k->err, "%s: expected floating point inputs, got %s", name, ku_dtype_tname(rt));
    ct_tensor *d[4];
    int nd;
    int64_t shape[CT_MAX_DIMS];
    if (loss_operands(k, n, ts, d, &nd, shape)) return -1;
    int64_t cnt = 1;
    for (int i = 0; i < nd; i++) cnt *= shape[i];
    double *v = malloc((size_t)(cnt ? cnt : 1) * sizeof *v);
    int rc = -1;
    if (!v) {
        cts_err_set(k->err, "%s: out of memory", name);
        goto done;
    }
    const double *a = ct_data(d[0]), *b = ct_data(d[1]);
    const double *c2 = n > 2 && d[2] ? ct_data(d[2]) : NULL, *c3 = n > 3 && d[3] ? ct_data(d[3]) : NULL;
    for (int64_t i = 0; i < cnt; i++) {
        double x = a[i], t = b[i], l;
        switch (kind) {
        case XL_SOFT_MARGIN: l = log1p(exp(-x * t)); break;
        case XL_KL_DIV:
            if (p->log_target) l = exp(t) * (t - x);
            else l = (isnan(t) ? NAN : t == 0 ? 0 : t * log(t)) - t * x;
            break;
        case XL_HINGE: {
            double mc = p->margin - x;
            if (mc < 0) mc = 0;
            l = (t != 1 ? mc : 0) + (t != -1 ? x : 0);
            break;
        }
        case XL_MARGIN_RANK: /* (input1, input2, target) */
            l = -c2[i] * (x - t) + p->margin;
            if (l < 0) l = 0;
            break;
        case XL_BCE_LOGITS: {
            double mv = -x < 0 ? 0 : -x;
            double lse = log(exp(-mv) + exp(-x - mv));
            if (c3) l = (1 - t) * x + ((c3[i] - 1) * t + 1) * (lse + mv);
            else l = (1 - t) * x + mv + lse;
            if (c2) l *= c2[i];
            break;
        }
        default: /* XL_POISSON */
            l = p->log_input ? exp(x) - t * x : x - t * log(x + p->eps);
            if (p->full && !(t <= 1)) l += t * log(t) - t + 0.5 * log(2 * M_PI * t);
            break;
        }
        v[i] = l;
    }
    rc = loss_reduce(k, rt, nd, shape, v, red, outs);
done:
    free(v);
    for (int i = 0; i < n; i++) ct_tensor_release(d[i]);
    return rc;
}

static int k_soft_margin_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[2];
    int64_t red;
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_int(&A, 2, &red)) return -1;
    xloss_par p = {0};
    return xloss_run(k, "soft_margin_loss", XL_SOFT_MARGIN, 2, ts, ku_result_tt(ts[0], ts[1]), &p, red, outs);
}

static int k_kl_div(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[2];
    int64_t red;
    xloss_par p = {0};
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_int(&A, 2, &red) || ku_bool(&A, 3, &p.log_target))
        return -1;
    ct_dtype rt = ku_result_tt(ts[0], ts[1]);
    if (!ct_dtype_is_float(rt)) return cts_err_set(k->err, "kl_div: Integral inputs not supported.");
    return xloss_run(k, "kl_div", XL_KL_DIV, 2, ts, rt, &p, red, outs);
}

static int k_hinge_embedding_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[2];
    int64_t red;
    xloss_par p = {0};
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_float(&A, 2, &p.margin) || ku_int(&A, 3, &red))
        return -1;
    return xloss_run(k, "hinge_embedding_loss", XL_HINGE, 2, ts, ts[0]->dtype, &p, red, outs);
}

static int k_margin_ranking_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[3];
    int64_t red;
    xloss_par p = {0};
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_tensor(&A, 2, &ts[2]) || ku_float(&A, 3, &p.margin) ||
        ku_int(&A, 4, &red))
        return -1;
    ku_rtstate st;
    ku_rt_init(&st);
    for (int i = 0; i < 3; i++) ku_rt_tensor(&st, ts[i]);
    return xloss_run(k, "margin_ranking_loss", XL_MARGIN_RANK, 3, ts, ku_rt_result(&st), &p, red, outs);
}

static int k_bce_with_logits(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[4];
    int64_t red;
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_opt_tensor(&A, 2, &ts[2]) ||
        ku_opt_tensor(&A, 3, &ts[3]) || ku_int(&A, 4, &red))
        return -1;
    /* PyTorch accumulates in place into (1 - target): the loss has target's dtype */
    ct_dtype rt = ts[1]->dtype;
    if (!ct_dtype_is_float(rt))
        return cts_err_set(k->err, "result type %s can't be cast to the desired output type %s",
                           ku_dtype_tname(ku_result_tt(ts[0], ts[1])), ku_dtype_tname(rt));
    xloss_par p = {0};
    return xloss_run(k, "binary_cross_entropy_with_logits", XL_BCE_LOGITS, 4, ts, rt, &p, red, outs);
}

static int k_poisson_nll_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *ts[2];
    int64_t red;
    xloss_par p = {0};
    if (ku_tensor(&A, 0, &ts[0]) || ku_tensor(&A, 1, &ts[1]) || ku_bool(&A, 2, &p.log_input) || ku_bool(&A, 3, &p.full) ||
        ku_float(&A, 4, &p.eps) || ku_int(&A, 5, &red))
        return -1;
    return xloss_run(k, "poisson_nll_loss", XL_POISSON, 2, ts, ku_result_tt(ts[0], ts[1]), &p, red, outs);
}

/* cosine_embedding_loss: cos = sum(x1 x2) / sqrt((sum(x1^2) + 1e-12)(sum(x2^2) + 1e-12))
 * over the last dim; 1 - cos where target == 1, max(cos - margin, 0) where
 * target == -1, else 0 */
static int k_cosine_embedding_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x1, *x2, *t;
    double margin;
    int64_t red;
    if (ku_tensor(&A, 0, &x1) || ku_tensor(&A, 1, &x2) || ku_tensor(&A, 2, &t) || ku_float(&A, 3, &margin) ||
        ku_int(&A, 4, &red))
        return -1;
    char s1[256], s2[256];
    if (t->ndim != 0 && t->ndim != 1)
        return cts_err_set(k->err, "0D or 1D target tensor expected, multi-target not supported");
    if (t->ndim == 1 && x1->ndim != 2)
        return cts_err_set(k->err, "1D target tensor expects 2D input tensors, but found inputs with sizes %s and %s.",
                           ct_shape_str(x1->ndim, x1->sizes, s1, sizeof s1), ct_shape_str(x2->ndim, x2->sizes, s2, sizeof s2));
    if (t->ndim == 0 && x1->ndim != 1)
        return cts_err_set(k->err, "0D target tensor expects 1D input tensors, but found inputs with sizes %s and %s.",
                           ct_shape_str(x1->ndim, x1->sizes, s1, sizeof s1), ct_shape_str(x2->ndim, x2->sizes, s2, sizeof s2));
    if (t->ndim >= (x2->ndim ? x2->ndim : 1)) /* (input2 * input2).sum(target.dim()) */
        return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%d, %d], but got %d)",
                           x2->ndim ? -x2->ndim : -1, x2->ndim ? x2->ndim - 1 : 0, t->ndim);
    if (x2->ndim > x1->ndim || (x2->ndim && x2->ndim != x1->ndim))
        return cts_err_set(k->err, "cosine_embedding_loss: input2 of sizes %s does not match input1 of sizes %s",
                           ct_shape_str(x2->ndim, x2->sizes, s2, sizeof s2), ct_shape_str(x1->ndim, x1->sizes, s1, sizeof s1));
    ct_dtype rt = ku_result_tt(x1, x2);
    if (!ct_dtype_is_float(rt))
        return cts_err_set(k->err, "cosine_embedding_loss: expected floating point inputs, got %s", ku_dtype_tname(rt));
    ct_tensor *in[2] = {x1, x2}, *d[2];
    int nd;
    int64_t shape[CT_MAX_DIMS];
    if (loss_operands(k, 2, in, d, &nd, shape)) return -1;
    /* rows of the broadcast inputs against the target */
    int64_t rows = nd == 2 ? shape[0] : 1, len = shape[nd - 1];
    int64_t oshape[1] = {rows};
    ct_tensor *rowv[1] = {NULL};
    ct_tensor *tt = ct_tensor_empty(CT_FLOAT64, nd - 1, oshape, k->err);
    ct_tensor *pair[2] = {tt, t};
    int64_t fshape[CT_MAX_DIMS];
    int fnd = tt ? ku_broadcast(2, pair, fshape, k->err) : -1;
    ct_tensor *dt = NULL, *et = NULL;
    double *v = NULL;
    int rc = -1;
    if (fnd < 0) goto done;
    if (!(et = ct_expand(t, fnd, fshape, k->err)) || !(dt = ku_to_dtype(et, CT_FLOAT64, k->err))) goto done;
    if (!(rowv[0] = ct_tensor_empty(CT_FLOAT64, nd - 1, oshape, k->err))) goto done;
    double *cosv = ct_data(rowv[0]);
    const double *a = ct_data(d[0]), *b = ct_data(d[1]);
    for (int64_t r = 0; r < rows; r++) {
        double pr = 0, m1 = 0, m2 = 0;
        for (int64_t j = 0; j < len; j++) {
            double u = a[r * len + j], w = b[r * len + j];
            pr += u * w;
            m1 += u * u;
            m2 += w * w;
        }
        if (x2->ndim == 0) m2 = b[0] * b[0]; /* input2 * input2 summed over its own (no) dims */
        cosv[r] = pr / sqrt((m1 + 1e-12) * (m2 + 1e-12));
    }
    ct_tensor *ec = ct_expand(rowv[0], fnd, fshape, k->err);
    ct_tensor *cc = ec ? ku_to_dtype(ec, CT_FLOAT64, k->err) : NULL;
    ct_tensor_release(ec);
    if (!cc) goto done;
    int64_t n = ct_numel(cc);
    v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (!v) {
        ct_tensor_release(cc);
        cts_err_set(k->err, "cosine_embedding_loss: out of memory");
        goto done;
    }
    const double *cs = ct_data(cc), *tv = ct_data(dt);
    for (int64_t i = 0; i < n; i++) {
        double neg = cs[i] - margin;
        if (neg < 0) neg = 0;
        v[i] = (tv[i] == 1 ? 1 - cs[i] : 0) + (tv[i] == -1 ? neg : 0);
    }
    ct_tensor_release(cc);
    rc = loss_reduce(k, rt, fnd, fshape, v, red, outs);
done:
    free(v);
    ct_tensor_release(tt);
    ct_tensor_release(et);
    ct_tensor_release(dt);
    ct_tensor_release(rowv[0]);
    ct_tensor_release(d[0]);
    ct_tensor_release(d[1]);
    return rc;
}

/* pairwise_distance(x1, x2, p, eps) = norm(x1 - x2 + eps, p, last dim), as
 * a float64 tensor */
static ct_tensor *pairwise_dist(cts_kctx *k, ct_tensor *x1, ct_tensor *x2, double p, double eps) {
    ct_tensor *in[2] = {x1, x2}, *d[2];
    int nd;
    int64_t shape[CT_MAX_DIMS];
    if (loss_operands(k, 2, in, d, &nd, shape)) return NULL;
    int64_t len = nd ? shape[nd - 1] : 1, rows = 1;
    for (int i = 0; i + 1 < nd; i++) rows *= shape[i];
    ct_tensor *r = ct_tensor_empty(CT_FLOAT64, nd ? nd - 1 : 0, shape, k->err);
    if (r) {
        const double *a = ct_data(d[0]), *b = ct_data(d[1]);
        double *o = ct_data(r);
        for (int64_t i = 0; i < rows; i++) {
            double acc = p == -INFINITY ? INFINITY : 0;
            for (int64_t j = 0; j < len; j++) {
                double z = fabs(a[i * len + j] - b[i * len + j] + eps);
                if (p == INFINITY) acc = z > acc || isnan(z) ? z : acc;
                else if (p == -INFINITY) acc = z < acc || isnan(z) ? z : acc;
                else if (p == 0) acc += z != 0;
                else if (p == 1) acc += z;
                else if (p == 2) acc += z * z;
                else acc += pow(z, p);
            }
            if (p == 2) acc = sqrt(acc);
            else if (p != 0 && p != 1 && !isinf(p)) acc = pow(acc, 1 / p);
            o[i] = acc;
        }
    }
    ct_tensor_release(d[0]);
    ct_tensor_release(d[1]);
    return r;
}

static int k_triplet_margin_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *an, *po, *ne;
    double margin, p, eps;
    bool swap;
    int64_t red;
    if (ku_tensor(&A, 0, &an) || ku_tensor(&A, 1, &po) || ku_tensor(&A, 2, &ne) || ku_float(&A, 3, &margin) ||
        ku_float(&A, 4, &p) || ku_float(&A, 5, &eps) || ku_bool(&A, 6, &swap) || ku_int(&A, 7, &red))
        return -1;
    if (an->ndim != po->ndim || po->ndim != ne->ndim)
        return cts_err_set(k->err, "All inputs should have same dimension but got %dD, %dD and %dD inputs.", an->ndim,
                           po->ndim, ne->ndim);
    ku_rtstate st;
    ku_rt_init(&st);
    ku_rt_tensor(&st, an);
    ku_rt_tensor(&st, po);
    ku_rt_tensor(&st, ne);
    ct_dtype rt = ku_rt_result(&st);
    if (!ct_dtype_is_float(rt))
        return cts_err_set(k->err, "triplet_margin_loss: expected floating point inputs, got %s", ku_dtype_tname(rt));
    ct_tensor *dp = pairwise_dist(k, an, po, p, eps);
    ct_tensor *dn = dp ? pairwise_dist(k, an, ne, p, eps) : NULL;
    ct_tensor *ds = dn && swap ? pairwise_dist(k, po, ne, p, eps) : NULL;
    ct_tensor *ops[3] = {dp, dn, ds}, *d[3] = {NULL, NULL, NULL};
    int nd = 0;
    int64_t shape[CT_MAX_DIMS];
    double *v = NULL;
    int rc = -1;
    if (!dn || (swap && !ds) || loss_operands(k, swap ? 3 : 2, ops, d, &nd, shape)) goto done;
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= shape[i];
    v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (!v) {
        cts_err_set(k->err, "triplet_margin_loss: out of memory");
        goto done;
    }
    const double *pv = ct_data(d[0]), *nv = ct_data(d[1]), *sv = swap ? ct_data(d[2]) : NULL;
    for (int64_t i = 0; i < n; i++) {
        double dneg = nv[i];
        if (sv && (sv[i] < dneg || isnan(sv[i]))) dneg = sv[i];
        double l = margin + pv[i] - dneg;
        v[i] = l < 0 ? 0 : l;
    }
    rc = loss_reduce(k, rt, nd, shape, v, red, outs);
done:
    free(v);
    for (int i = 0; i < 3; i++) {
        ct_tensor_release(ops[i]);
        ct_tensor_release(d[i]);
    }
    return rc;
}

/* glu: first half of dim times the sigmoid of the second half */
static int k_glu(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *x;
    int64_t dim;
    if (ku_tensor(&A, 0, &x) || ku_int(&A, 1, &dim)) return -1;
    if (x->ndim == 0) return cts_err_set(k->err, "glu does not support 0-dimensional tensors");
    if (dim < -x->ndim || dim >= x->ndim)
        return cts_err_set(k->err, "Dimension out of range (expected to be in range of [%d, %d], but got %lld)", -x->ndim,
                           x->ndim - 1, (long long)dim);
    if (dim < 0) dim += x->ndim;
    if (x->sizes[dim] % 2)
        return cts_err_set(k->err, "Halving dimension must be even, but dimension %lld is size %lld", (long long)dim,
                           (long long)x->sizes[dim]);
    if (!ct_dtype_is_float(x->dtype))
        return cts_err_set(k->err, "\"glu_cpu\" not implemented for '%s'", ku_dtype_tname(x->dtype));
    ct_tensor *dx = ku_to_dtype(x, CT_FLOAT64, k->err);
    if (!dx) return -1;
    int64_t shape[CT_MAX_DIMS];
    memcpy(shape, x->sizes, sizeof shape);
    shape[dim] /= 2;
    ct_tensor *r = ct_tensor_empty(x->dtype, x->ndim, shape, k->err);
    if (r) {
        int64_t outer = 1, inner = 1, h = shape[dim];
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = (int)dim + 1; i < x->ndim; i++) inner *= shape[i];
        const double *s = ct_data(dx);
        char *o = ct_data(r);
        int esz = ct_dtype_size(x->dtype);
        int64_t oi = 0;
        for (int64_t a = 0; a < outer; a++)
            for (int64_t j = 0; j < h; j++)
                for (int64_t i = 0; i < inner; i++, oi++) {
                    double u = s[(a * 2 * h + j) * inner + i], g = s[(a * 2 * h + h + j) * inner + i];
                    ct_store_f64(o + oi * esz, x->dtype, u / (1 + exp(-g)));
                }
    }
    ct_tensor_release(dx);
    return ku_ret(outs, r);
}

/* ---- one_hot, nll_loss, cross_entropy_loss ---- */

static int k_one_hot(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t nc;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &nc)) return -1;
    if (self->dtype != CT_INT64) return cts_err_set(k->err, "one_hot is only applicable to index tensor.");
    ct_tensor *ix = ku_contiguous(self, k->err);
    if (!ix) return -1;
    const int64_t *v = ct_data(ix);
    int64_t n = ct_numel(ix), mx = -1;
    int rc = 0;
    if (n == 0 && nc == -1) rc = cts_err_set(k->err, "Can not infer total number of classes from empty tensor.");
    for (int64_t i = 0; i < n && rc == 0; i++) {
        if (v[i] < 0) rc = cts_err_set(k->err, "Class values must be non-negative.");
        else if (v[i] > mx) mx = v[i];
    }
    if (rc == 0 && n) {
        if (nc == -1) nc = mx + 1;
        else if (mx >= nc) rc = cts_err_set(k->err, "Class values must be smaller than num_classes.");
    }
    if (rc == 0 && self->ndim >= CT_MAX_DIMS) rc = cts_err_set(k->err, "one_hot: too many dims");
    ct_tensor *out = NULL;
    if (rc == 0) {
        int64_t shape[CT_MAX_DIMS];
        memcpy(shape, self->sizes, sizeof(int64_t) * (size_t)self->ndim);
        shape[self->ndim] = nc;
        out = ct_tensor_zeros(CT_INT64, self->ndim + 1, shape, k->err);
        if (out)
            for (int64_t i = 0; i < n; i++) ((int64_t *)ct_data(out))[i * nc + v[i]] = 1;
    }
    ct_tensor_release(ix);
    return rc ? -1 : ku_ret(outs, out);
}

/* log_softmax of x (n rows of c classes, class stride `inner` inside
 * blocks of c * inner) in double, rounded through dtype dt as PyTorch's
 * log_softmax output would be */
static void log_softmax_rows(const double *x, double *y, int64_t outer, int64_t c, int64_t inner, ct_dtype dt) {
    for (int64_t o = 0; o < outer; o++)
        for (int64_t in = 0; in < inner; in++) {
            const double *xr = x + o * c * inner + in;
            double *yr = y + o * c * inner + in, mx = -INFINITY, s = 0;
            for (int64_t j = 0; j < c; j++) mx = xr[j * inner] > mx || xr[j * inner] != xr[j * inner] ? xr[j * inner] : mx;
            for (int64_t j = 0; j < c; j++) s += exp(xr[j * inner] - mx);
            for (int64_t j = 0; j < c; j++) {
                unsigned char tmp[8];
                ct_store_f64(tmp, dt, xr[j * inner] - mx - log(s));
                yr[j * inner] = ct_load_f64(tmp, dt);
            }
        }
}

typedef struct nll_args {
    ct_tensor *self, *target, *weight;
    int64_t red, ignore;
} nll_args;

/* nll_loss_nd on double log-probabilities lp laid out like self: self is
 * [C] (target 0-dim) or [N, C, d1, ...] (target [N, d1, ...]).  Writes the
 * result tensor of dtype dt. */
static int nll_core(cts_kctx *k, const nll_args *a, const double *lp, ct_dtype dt, ct_tensor **res) {
    const ct_tensor *self = a->self, *t = a->target;
    if (self->ndim < 1) return cts_err_set(k->err, "Expected 1 or more dimensions (got %d)", self->ndim);
    if (self->ndim != 1 && (t->ndim < 1 || self->sizes[0] != t->sizes[0]))
        return cts_err_set(k->err, "Expected input batch_size (%lld) to match target batch_size (%lld).",
                           (long long)self->sizes[0], (long long)(t->ndim ? t->sizes[0] : 0));
    if (t->dtype != CT_INT64)
        return cts_err_set(k->err, "expected scalar type Long but found %s", ku_dtype_tname(t->dtype));
    int cdim = self->ndim == 1 ? 0 : 1;
    int64_t c = self->sizes[cdim], outer = self->ndim == 1 ? 1 : self->sizes[0], inner = 1;
    for (int d = 2; d < self->ndim; d++) inner *= self->sizes[d];
    if (self->ndim == 1 ? t->ndim > 1 : t->ndim != self->ndim - 1)
        return cts_err_set(k->err, "nll_loss: target of %d dims does not fit input of %d dims", t->ndim, self->ndim);
    for (int d = 2; d < self->ndim; d++)
        if (t->sizes[d - 1] != self->sizes[d]) {
            char sa[256], sb[256];
            return cts_err_set(k->err, "size mismatch (got input: %s, target: %s)",
                               ct_shape_str(self->ndim, self->sizes, sa, sizeof sa), ct_shape_str(t->ndim, t->sizes, sb, sizeof sb));
        }
    if (a->weight && (a->weight->ndim != 1 || a->weight->sizes[0] != c)) {
        char sw[256];
        return cts_err_set(k->err,
                           "weight tensor should be defined either for all %lld classes or no classes but got weight "
                           "tensor of shape: %s",
                           (long long)c, ct_shape_str(a->weight->ndim, a->weight->sizes, sw, sizeof sw));
    }
    ct_tensor *tc = ku_contiguous(a->target, k->err);
    ct_tensor *wd = tc && a->weight ? ku_to_dtype(a->weight, CT_FLOAT64, k->err) : NULL;
    if (!tc || (a->weight && !wd)) {
        ct_tensor_release(tc);
        return -1;
    }
    const int64_t *tv = ct_data(tc);
    const double *wv = wd ? ct_data(wd) : NULL;
    int64_t n = outer * inner;
    ct_tensor *out = a->red == 0 ? ct_tensor_empty(dt, t->ndim, t->sizes, k->err) : ct_tensor_empty(dt, 0, NULL, k->err);
    int rc = out ? 0 : -1;
    double total = 0, wsum = 0;
    int esz = ct_dtype_size(dt);
    for (int64_t i = 0; i < n && rc == 0; i++) {
        int64_t cls = tv[i], o = i / inner, in = i % inner;
        double l = 0, w = 0;
        if (cls != a->ignore) {
            if (cls < 0 || cls >= c) {
                rc = cts_err_set(k->err, "Target %lld is out of bounds.", (long long)cls);
                break;
            }
            w = wv ? wv[cls] : 1;
            l = -w * lp[(o * c + cls) * inner + in];
        }
        if (a->red == 0) ct_store_f64((char *)ct_data(out) + i * esz, dt, l);
        total += l;
        wsum += w;
    }
    ct_tensor_release(tc);
    ct_tensor_release(wd);
    if (rc) {
        ct_tensor_release(out);
        return -1;
    }
    if (a->red != 0) ct_store_f64(ct_data(out), dt, a->red == 1 ? total / wsum : total);
    *res = out;
    return 0;
}

static int nll_read(ku_args *A, nll_args *a) {
    return ku_tensor(A, 0, &a->self) || ku_tensor(A, 1, &a->target) || ku_opt_tensor(A, 2, &a->weight) ||
           ku_int(A, 3, &a->red) || ku_int(A, 4, &a->ignore);
}

static int loss_dtype_check(cts_kctx *k, const ct_tensor *self, const char *kname) {
    if (self->dtype == CT_FLOAT32 || self->dtype == CT_FLOAT64 || self->dtype == CT_BFLOAT16) return 0;
    return cts_err_set(k->err, "\"%s\" not implemented for '%s'", kname, ku_dtype_tname(self->dtype));
}

static int k_nll_loss_nd(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    nll_args a;
    if (nll_read(&A, &a)) return -1;
    if (a.self->ndim < 1) return cts_err_set(k->err, "Expected 1 or more dimensions (got %d)", a.self->ndim);
    if (loss_dtype_check(k, a.self, a.self->ndim <= 2 ? "nll_loss_out_frame" : "nll_loss2d_forward_out_frame")) return -1;
    if (a.red < 0 || a.red > 2)
        return cts_err_set(k->err, "reduction must be 0 (none), 1 (mean) or 2 (sum), got %lld", (long long)a.red);
    ct_tensor *lp = ku_to_dtype(a.self, CT_FLOAT64, k->err), *r = NULL;
    if (!lp) return -1;
    int rc = nll_core(k, &a, ct_data(lp), a.self->dtype, &r);
    ct_tensor_release(lp);
    return rc ? -1 : ku_ret(outs, r);
}
static int k_nll_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    nll_args a;
    if (nll_read(&A, &a)) return -1;
    if (a.self->ndim < 1 || a.self->ndim > 2)
        return cts_err_set(k->err, "input tensor should be 1D or 2D");
    return k_nll_loss_nd(k, args, nargs, outs);
}

/* cross_entropy_loss: class indices (nll_loss_nd of log_softmax, with
 * PyTorch 1.13's label smoothing) or, when target has self's shape, class
 * probabilities */
static int k_cross_entropy_loss(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    nll_args a;
    double ls;
    if (nll_read(&A, &a) || ku_float(&A, 5, &ls)) return -1;
    ct_tensor *self = a.self, *t = a.target;
    if (self->ndim < 1) return cts_err_set(k->err, "Expected 1 or more dimensions (got %d)", self->ndim);
    if (!(ls >= 0 && ls <= 1)) return cts_err_set(k->err, "label_smoothing must be between 0.0 and 1.0. Got: %g", ls);
    if (a.red < 0 || a.red > 2)
        return cts_err_set(k->err, "reduction must be 0 (none), 1 (mean) or 2 (sum), got %lld", (long long)a.red);
    bool prob = ku_same_shape(self->ndim, self->sizes, t->ndim, t->sizes);
    if (prob && !ct_dtype_is_float(t->dtype))
        return cts_err_set(k->err, "Expected floating point type for target with class probabilities, got %s",
                           ku_dtype_tname(t->dtype));
    if (!ct_dtype_is_float(self->dtype))
        return cts_err_set(k->err, "\"log_softmax_lastdim_kernel_impl\" not implemented for '%s'", ku_dtype_tname(self->dtype));
    int cdim = self->ndim == 1 ? 0 : 1;
    int64_t c = self->sizes[cdim], outer = self->ndim == 1 ? 1 : self->sizes[0], inner = 1;
    for (int d = 2; d < self->ndim; d++) inner *= self->sizes[d];
    if (a.weight && (a.weight->ndim != 1 || a.weight->sizes[0] != c)) {
        char sw[256];
        return cts_err_set(k->err,
                           "weight tensor should be defined either for all %lld classes or no classes but got weight "
                           "tensor of shape: %s",
                           (long long)c, ct_shape_str(a.weight->ndim, a.weight->sizes, sw, sizeof sw));
    }
    ct_tensor *x = ku_to_dtype(self, CT_FLOAT64, k->err);
    if (!x) return -1;
    int64_t total_n = ct_numel(x);
    double *lp = malloc(sizeof(double) * (size_t)(total_n ? total_n : 1));
    ct_tensor *wd = lp && a.weight ? ku_to_dtype(a.weight, CT_FLOAT64, k->err) : NULL;
    if (!lp || (a.weight && !wd)) {
        if (!lp) cts_err_set(k->err, "out of memory");
        free(lp);
        ct_tensor_release(x);
        return -1;
    }
    log_softmax_rows(ct_data(x), lp, outer, c, inner, self->dtype);
    ct_tensor_release(x);
    const double *wv = wd ? ct_data(wd) : NULL;
    ct_dtype dt = self->dtype;
    int esz = ct_dtype_size(dt);
    ct_tensor *res = NULL;
    int rc = -1;
    if (prob) {
        ct_tensor *tt = ku_to_dtype(t, CT_FLOAT64, k->err);
        int64_t rshape[CT_MAX_DIMS], rn = 0;
        for (int d = 0; d < self->ndim; d++)
            if (d != cdim) rshape[rn++] = self->sizes[d];
        res = tt ? (a.red == 0 ? ct_tensor_empty(dt, (int)rn, rshape, k->err) : ct_tensor_empty(dt, 0, NULL, k->err)) : NULL;
        if (res) {
            const double *tv = ct_data(tt);
            double total = 0;
            for (int64_t i = 0; i < outer * inner; i++) {
                int64_t o = i / inner, in = i % inner;
                double s = 0;
                for (int64_t j = 0; j < c; j++) {
                    double tj = tv[(o * c + j) * inner + in];
                    if (ls > 0) tj = tj * (1 - ls) + ls / (double)c;
                    s += lp[(o * c + j) * inner + in] * tj * (wv ? wv[j] : 1);
                }
                if (a.red == 0) ct_store_f64((char *)ct_data(res) + i * esz, dt, -s);
                total -= s;
            }
            if (a.red != 0)
                ct_store_f64(ct_data(res), dt, a.red == 2 ? total : (total_n ? total / (double)(outer * inner) : NAN));
            rc = 0;
        }
        ct_tensor_release(tt);
    } else {
        ct_tensor *nll = NULL;
        if (nll_core(k, &a, lp, dt, &nll) == 0) {
            if (ls <= 0) {
                res = nll;
                rc = 0;
            } else { /* (1 - ls) * nll + smooth * ls / C */
                ct_tensor *tc = ku_contiguous(t, k->err);
                res = tc ? (a.red == 0 ? ct_tensor_empty(dt, t->ndim, t->sizes, k->err) : ct_tensor_empty(dt, 0, NULL, k->err))
                         : NULL;
                if (res) {
                    const int64_t *tv = ct_data(tc);
                    double total = 0, wsum = 0;
                    int64_t kept = 0;
                    for (int64_t i = 0; i < outer * inner; i++) {
                        int64_t o = i / inner, in = i % inner, cls = tv[i];
                        double s = 0;
                        if (cls != a.ignore) {
                            for (int64_t j = 0; j < c; j++) s -= lp[(o * c + j) * inner + in] * (wv ? wv[j] : 1);
                            kept++;
                            wsum += wv ? wv[cls] : 1;
                        }
                        if (a.red == 0) {
                            double nl = ct_load_f64((char *)ct_data(nll) + i * esz, dt);
                            ct_store_f64((char *)ct_data(res) + i * esz, dt, (1 - ls) * nl + s * (ls / (double)c));
                        }
                        total += s;
                    }
                    if (a.red != 0) {
                        double sm = a.red == 2 ? total : wv ? total / wsum : total / (double)kept;
                        double nl = ct_load_f64(ct_data(nll), dt);
                        ct_store_f64(ct_data(res), dt, (1 - ls) * nl + sm * (ls / (double)c));
                    }
                    rc = 0;
                }
                ct_tensor_release(tc);
                ct_tensor_release(nll);
            }
        }
    }
    free(lp);
    ct_tensor_release(wd);
    if (rc) {
        ct_tensor_release(res);
        return -1;
    }
    return ku_ret(outs, res);
}

/* embedding_renorm_: each row that indices name (once each) whose
 * norm_type-norm exceeds max_norm is scaled by max_norm / (norm + 1e-7),
 * in place */
static int k_embedding_renorm_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *w, *ix;
    double max_norm, p;
    if (ku_tensor(&A, 0, &w) || ku_tensor(&A, 1, &ix) || ku_float(&A, 2, &max_norm) || ku_float(&A, 3, &p)) return -1;
    if (w->ndim != 2)
        return cts_err_set(k->err,
                           "Expected 2-dimensional tensor, but got %d-dimensional tensor for argument #1 'self' (while "
                           "checking arguments for embedding_renorm_)",
                           w->ndim);
    if (!index_dtype(ix->dtype))
        return cts_err_set(k->err,
                           "Expected tensor for argument #2 'indices' to have one of the following scalar types: Long, "
                           "Int; but got %s instead (while checking arguments for embedding_renorm_)",
                           ku_dtype_tname(ix->dtype));
    if (!is_float(w->dtype)) return not_impl(k, "embedding_renorm_", w->dtype);
    if (ku_check_internal_overlap(w, k->err)) return -1;
    ct_tensor *ic = ku_contiguous(ix, k->err);
    if (!ic) return -1;
    int64_t n = ct_numel(ic), rows = w->sizes[0], cols = w->sizes[1];
    bool *seen = calloc((size_t)(rows ? rows : 1), 1);
    if (!seen) {
        ct_tensor_release(ic);
        return cts_err_oom(k->err, "embedding_renorm_", (size_t)rows);
    }
    int rc = 0, esz = ct_dtype_size(w->dtype);
    char *base = (char *)w->storage->data;
    for (int64_t i = 0; i < n && rc == 0; i++) {
        int64_t r = index_at(ic, i);
        if (r < -rows || r >= rows) {
            rc = cts_err_set(k->err, "select(): index %lld out of range for tensor of size [%lld, %lld] at dimension 0",
                             (long long)r, (long long)rows, (long long)cols);
            break;
        }
        if (r < 0) r += rows;
        if (seen[r]) continue;
        seen[r] = true;
        double norm = 0;
        for (int64_t c = 0; c < cols; c++) {
            double v = fabs(ct_load_f64(base + (w->offset + r * w->strides[0] + c * w->strides[1]) * esz, w->dtype));
            if (p == INFINITY) norm = v > norm ? v : norm;
            else if (p == 0) norm += v != 0;
            else norm += p == 1 ? v : p == 2 ? v * v : pow(v, p);
        }
        if (p == 2) norm = sqrt(norm);
        else if (p != 1 && p != 0 && p != INFINITY) norm = pow(norm, 1 / p);
        if (norm > max_norm) {
            double scale = max_norm / (norm + 1e-7);
            if (w->dtype != CT_FLOAT64) scale = (float)scale;
            for (int64_t c = 0; c < cols; c++) {
                char *e = base + (w->offset + r * w->strides[0] + c * w->strides[1]) * esz;
                double v = ct_load_f64(e, w->dtype) * scale;
                ct_store_f64(e, w->dtype, w->dtype == CT_FLOAT64 ? v : (double)(float)v);
            }
        }
    }
    free(seen);
    ct_tensor_release(ic);
    return rc ? -1 : ku_ret_self(outs, w);
}

const cts_op_def cts_ops_nn[] = {
    /* pooling */
    {"aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor", k_max_pool2d},
    {"aten::max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)", k_max_pool2d_with_indices},
    {"aten::max_pool3d(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, int[3] dilation=1, bool ceil_mode=False) -> Tensor", k_max_pool3d},
    {"aten::max_pool3d_with_indices(Tensor self, int[3] kernel_size, int[3] stride=[], int[3] padding=0, int[3] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)", k_max_pool3d_with_indices},
    {"aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor", k_avg_pool2d},
    {"aten::adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor", k_adaptive_avg_pool2d},
    {"aten::adaptive_max_pool2d(Tensor self, int[2] output_size) -> (Tensor, Tensor)", k_adaptive_max_pool2d},
    {"aten::max_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], int[1] dilation=[1], bool ceil_mode=False) -> Tensor", k_max_pool1d},
    {"aten::max_pool1d_with_indices(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], int[1] dilation=[1], bool ceil_mode=False) -> (Tensor, Tensor)", k_max_pool1d_with_indices},
    {"aten::avg_pool1d(Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=[0], bool ceil_mode=False, bool count_include_pad=True) -> Tensor", k_avg_pool1d},
    {"aten::adaptive_avg_pool1d(Tensor self, int[1] output_size) -> Tensor", k_adaptive_avg_pool1d},
    {"aten::adaptive_max_pool1d(Tensor self, int[1] output_size) -> (Tensor, Tensor)", k_adaptive_max_pool1d},
    /* normalization */
    {"aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor", k_batch_norm},
    {"aten::instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, float momentum, float eps, bool cudnn_enabled) -> Tensor", k_instance_norm},
    {"aten::layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1.0000000000000001e-05, bool cudnn_enable=True) -> Tensor", k_layer_norm},
    {"aten::group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1.0000000000000001e-05, bool cudnn_enabled=True) -> Tensor", k_group_norm},
    /* dropout and randomness */
    {"aten::dropout(Tensor input, float p, bool train) -> Tensor", k_dropout},
    {"aten::dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)", k_dropout_},
    {"aten::feature_dropout(Tensor input, float p, bool train) -> Tensor", k_feature_dropout},
    {"aten::feature_dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)", k_feature_dropout_},
    {"aten::alpha_dropout(Tensor input, float p, bool train) -> Tensor", k_alpha_dropout},
    {"aten::alpha_dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)", k_alpha_dropout_},
    {"aten::feature_alpha_dropout(Tensor input, float p, bool train) -> Tensor", k_feature_alpha_dropout},
    {"aten::feature_alpha_dropout_(Tensor(a!) self, float p, bool train) -> Tensor(a!)", k_feature_alpha_dropout_},
    /* gathers */
    {"aten::embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor", k_embedding},
    {"aten::index_select(Tensor self, int dim, Tensor index) -> Tensor", k_index_select},
    {"aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor", k_gather},
    {"aten::embedding_renorm_(Tensor(a!) self, Tensor indices, float max_norm, float norm_type) -> Tensor(a!)", k_embedding_renorm_},
    {"aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor", k_index},
    {"aten::index.Tensor_hacked_twin(Tensor self, Tensor[] indices) -> Tensor", k_index},
    {"aten::index_put_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)", k_index_put_},
    {"aten::index_put_.hacked_twin(Tensor(a!) self, Tensor[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)", k_index_put_},
    {"aten::index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor", k_index_put},
    {"aten::index_put.hacked_twin(Tensor self, Tensor[] indices, Tensor values, bool accumulate=False) -> Tensor", k_index_put},
    /* losses */
    {"aten::mse_loss(Tensor self, Tensor target, int reduction=1) -> Tensor", k_mse_loss},
    {"aten::l1_loss(Tensor self, Tensor target, int reduction=1) -> Tensor", k_l1_loss},
    {"aten::smooth_l1_loss(Tensor self, Tensor target, int reduction=1, float beta=1.) -> Tensor", k_smooth_l1_loss},
    {"aten::huber_loss(Tensor self, Tensor target, int reduction=1, float delta=1.) -> Tensor", k_huber_loss},
    {"aten::binary_cross_entropy(Tensor self, Tensor target, Tensor? weight=None, int reduction=1) -> Tensor", k_binary_cross_entropy},
    {"aten::binary_cross_entropy_with_logits(Tensor self, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, int reduction=1) -> Tensor", k_bce_with_logits},
    {"aten::soft_margin_loss(Tensor self, Tensor target, int reduction=1) -> Tensor", k_soft_margin_loss},
    {"aten::kl_div(Tensor self, Tensor target, int reduction=1, *, bool log_target=False) -> Tensor", k_kl_div},
    {"aten::hinge_embedding_loss(Tensor self, Tensor target, float margin=1., int reduction=1) -> Tensor", k_hinge_embedding_loss},
    {"aten::margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., int reduction=1) -> Tensor", k_margin_ranking_loss},
    {"aten::poisson_nll_loss(Tensor input, Tensor target, bool log_input, bool full, float eps, int reduction) -> Tensor", k_poisson_nll_loss},
    {"aten::cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, float margin=0., int reduction=1) -> Tensor", k_cosine_embedding_loss},
    {"aten::triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, float margin=1., float p=2., float eps=9.9999999999999995e-07, bool swap=False, int reduction=1) -> Tensor", k_triplet_margin_loss},
    {"aten::glu(Tensor self, int dim=-1) -> Tensor", k_glu},
    {"aten::nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) -> Tensor", k_nll_loss},
    {"aten::nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100) -> Tensor", k_nll_loss_nd},
    {"aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=1, int ignore_index=-100, float label_smoothing=0.) -> Tensor", k_cross_entropy_loss},
    {"aten::one_hot(Tensor self, int num_classes=-1) -> Tensor", k_one_hot},
    /* padding */
    {"aten::constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor", k_constant_pad_nd},
    {"aten::pad(Tensor self, int[] pad, str mode=\"constant\", float? value=None) -> Tensor", k_pad},
    {"aten::_pad_enum(Tensor self, int[] pad, int mode, float? value=None) -> Tensor", k_pad_enum},
    {"aten::_pad_circular(Tensor self, int[] pad) -> Tensor", k_pad_circular},
    {"aten::reflection_pad1d(Tensor self, int[2] padding) -> Tensor", k_reflection_pad1d},
    {"aten::reflection_pad2d(Tensor self, int[4] padding) -> Tensor", k_reflection_pad2d},
    {"aten::reflection_pad3d(Tensor self, int[6] padding) -> Tensor", k_reflection_pad3d},
    {"aten::replication_pad1d(Tensor self, int[2] padding) -> Tensor", k_replication_pad1d},
    {"aten::replication_pad2d(Tensor self, int[4] padding) -> Tensor", k_replication_pad2d},
    {"aten::replication_pad3d(Tensor self, int[6] padding) -> Tensor", k_replication_pad3d},
    /* upsampling */
    {"aten::upsample_nearest2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float? scales_w=None) -> Tensor", k_upsample_nearest2d},
    {"aten::upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest2d_vec},
    {"aten::upsample_bilinear2d(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, float? scales_w=None) -> Tensor", k_upsample_bilinear2d},
    {"aten::upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_bilinear2d_vec},
    {"aten::upsample_nearest1d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest1d_vec},
    {"aten::upsample_nearest3d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest3d_vec},
    {"aten::_upsample_nearest_exact1d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest_exact1d_vec},
    {"aten::_upsample_nearest_exact2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest_exact2d_vec},
    {"aten::_upsample_nearest_exact3d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", k_upsample_nearest_exact3d_vec},
    {"aten::upsample_linear1d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_linear1d_vec},
    {"aten::upsample_trilinear3d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_trilinear3d_vec},
    {"aten::upsample_bicubic2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_bicubic2d_vec},
    {"aten::_upsample_bilinear2d_aa.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_bilinear2d_aa_vec},
    {"aten::_upsample_bicubic2d_aa.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor", k_upsample_bicubic2d_aa_vec},
    {"aten::adaptive_avg_pool3d(Tensor self, int[3] output_size) -> Tensor", k_adaptive_avg_pool3d},
    /* activations the pointwise family does not have */
    {"aten::relu6(Tensor self) -> Tensor", k_relu6},
    {"aten::relu6_(Tensor(a!) self) -> Tensor(a!)", k_relu6_},
    /* tensor and runtime queries */
    {"prim::dtype(Tensor a) -> int", k_prim_dtype},
    {"prim::device(Tensor a) -> Device", k_prim_device},
    {"prim::requires_grad(Tensor a) -> bool", k_prim_requires_grad},
    {"prim::layout(Tensor a) -> Layout", k_prim_layout},
    {"prim::data(Tensor(a) a) -> Tensor(a)", k_prim_data},
    {"prim::is_cuda(Tensor a) -> bool", k_prim_false},
    {"prim::is_nested(Tensor a) -> bool", k_prim_false},
    {"prim::is_sparse(Tensor a) -> bool", k_prim_false},
    {"prim::is_sparse_csr(Tensor a) -> bool", k_prim_false},
    {"prim::is_mkldnn(Tensor a) -> bool", k_prim_false},
    {"prim::is_quantized(Tensor a) -> bool", k_prim_false},
    {"prim::is_meta(Tensor a) -> bool", k_prim_false},
    {"prim::is_xpu(Tensor a) -> bool", k_prim_false},
    {"prim::is_vulkan(Tensor a) -> bool", k_prim_false},
    {"prim::is_mps(Tensor a) -> bool", k_prim_false},
    {"prim::is_ipu(Tensor a) -> bool", k_prim_false},
    {"prim::is_ort(Tensor a) -> bool", k_prim_false},
    {"prim::NumToTensor.Scalar(Scalar a) -> Tensor", k_num_to_tensor},
    {"prim::NumToTensor.bool(bool a) -> Tensor", k_num_to_tensor},
    {"aten::_shape_as_tensor(Tensor self) -> Tensor", k_shape_as_tensor},
    /* cts has no autocast (aten::is_grad_enabled is in scalar.c, with grad mode) */
    {"aten::is_autocast_enabled() -> bool", k_false},
    {"aten::warn(str message, int stacklevel=2) -> ()", k_warn},
};
const int cts_ops_nn_count = (int)(sizeof cts_ops_nn / sizeof cts_ops_nn[0]);
