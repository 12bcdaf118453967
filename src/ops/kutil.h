/* kutil.h - helpers shared by kernel families: argument readers, PyTorch's
 * result-type rules, scalar conversions and a broadcasting elementwise
 * iterator.
 *
 * Argument readers take a ku_args (the kernel's argument vector) and an
 * index; they return 0, or -1 with k->err set to a message naming the
 * argument position and what was found.  Values they hand out are borrowed
 * from the argument vector.
 *
 * Result types follow at::native::result_type (ResultTypeState): operands
 * fall in three priority classes — tensors with dim > 0, 0-dim tensors, and
 * wrapped numbers (Python scalars, i.e. Scalar arguments) — and a lower class
 * only raises the category (bool < integral < floating) of a higher one,
 * never its width.  A float Scalar counts as the default dtype (float32).
 *
 * The iterator (ku_iter) walks an output and up to three inputs broadcast to
 * the output's shape.  It coalesces dimensions that are contiguous in every
 * operand, so fully contiguous operands become one flat run, and calls a 1-D
 * loop with byte strides (0 for a broadcast operand), in the manner of
 * PyTorch's TensorIterator.  ku_iter_run_par splits big runs over k->pool.
 *
 * Also here: fast typed copies with PyTorch's conversion semantics
 * (ku_copy, ku_to_dtype), PyTorch's memory-overlap checks for in-place ops,
 * and float32 exp/tanh/erf written so that loops calling them vectorize. */
#ifndef CTS_OPS_KUTIL_H
#define CTS_OPS_KUTIL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "op.h"

/* ---- arguments ---- */

typedef struct ku_args {
    cts_kctx *k;
    const cv_value *v;
    int n;
} ku_args;

static inline ku_args ku_args_of(cts_kctx *k, const cv_value *v, int n) {
    ku_args a = {k, v, n};
    return a;
}

/* A Scalar argument: kind says which Python type it was; f holds the value
 * as double for every kind, i the exact value for KU_INT and KU_BOOL. */
typedef enum ku_scalar_kind { KU_BOOL, KU_INT, KU_FLOAT } ku_scalar_kind;
typedef struct ku_scalar {
    ku_scalar_kind kind;
    int64_t i;
    double f;
} ku_scalar;

ku_scalar ku_scalar_int(int64_t i);
ku_scalar ku_scalar_float(double f);
ku_scalar ku_scalar_bool(bool b);

int ku_tensor(const ku_args *a, int i, ct_tensor **out);           /* defined Tensor */
int ku_opt_tensor(const ku_args *a, int i, ct_tensor **out);       /* None -> NULL */
int ku_int(const ku_args *a, int i, int64_t *out);                 /* int (bool accepted) */
int ku_opt_int(const ku_args *a, int i, int64_t *out, bool *present);
int ku_float(const ku_args *a, int i, double *out);                /* float (int accepted) */
int ku_bool(const ku_args *a, int i, bool *out);
int ku_opt_bool(const ku_args *a, int i, bool *out, bool *present);
int ku_scalar_arg(const ku_args *a, int i, ku_scalar *out);        /* Scalar */
int ku_opt_scalar(const ku_args *a, int i, ku_scalar *out, bool *present);
int ku_str(const ku_args *a, int i, const char **out);
int ku_opt_str(const ku_args *a, int i, const char **out);         /* None -> NULL */
/* int[] (a single int is accepted for int[N] arguments); at most max items. */
int ku_int_list(const ku_args *a, int i, int64_t *out, int max, int *n);
/* int[]? : None -> *n = -1. */
int ku_opt_int_list(const ku_args *a, int i, int64_t *out, int max, int *n);
/* Tensor[]: the list, each item checked to be a defined tensor. */
int ku_tensor_list(const ku_args *a, int i, const cv_list **out);
int ku_dtype_arg(const ku_args *a, int i, ct_dtype *out);          /* ScalarType */
int ku_opt_dtype(const ku_args *a, int i, ct_dtype *out);          /* None -> CT_DTYPE_INVALID */
/* The `dtype, layout, device, pin_memory` keyword group of factory ops,
 * starting at argument i: layout must be strided or None, device cpu or
 * None.  *dtype is CT_DTYPE_INVALID when None. */
int ku_tensor_options(const ku_args *a, int i, ct_dtype *dtype);
/* Device? argument: must be cpu or None. */
int ku_check_device(const ku_args *a, int i);
/* MemoryFormat? argument: CV_NONE -> -1, else the enum value
 * (0 contiguous, 1 preserve, 2 channels_last, 3 channels_last_3d). */
int ku_opt_memory_format(const ku_args *a, int i, int *out);

/* Stores t as the kernel's single result, taking ownership; returns -1 when
 * t is NULL (the error was set by whoever failed). */
static inline int ku_ret(cv_value *outs, ct_tensor *t) {
    if (!t) return -1;
    outs[0] = cv_tensor(t);
    return 0;
}
/* Returns a borrowed tensor (in-place ops): stores a new reference. */
static inline int ku_ret_self(cv_value *outs, ct_tensor *t) {
    ct_tensor_retain(t);
    outs[0] = cv_tensor(t);
    return 0;
}

/* ---- dtypes and result types ---- */

/* PyTorch's spelling of a ScalarType in messages: "Float", "Long". */
const char *ku_dtype_tname(ct_dtype d);
/* The dtype PyTorch gives a Scalar: Bool, Long or Double. */
ct_dtype ku_scalar_dtype(const ku_scalar *s);

typedef struct ku_rtstate {
    ct_dtype dim_r, zero_r, wrapped_r; /* CT_DTYPE_INVALID = undefined */
} ku_rtstate;
void ku_rt_init(ku_rtstate *s);
void ku_rt_tensor(ku_rtstate *s, const ct_tensor *t);
void ku_rt_scalar(ku_rtstate *s, const ku_scalar *v);
ct_dtype ku_rt_result(const ku_rtstate *s);
ct_dtype ku_result_tt(const ct_tensor *a, const ct_tensor *b);
ct_dtype ku_result_ts(const ct_tensor *a, const ku_scalar *b);
ct_dtype ku_result_ss(const ku_scalar *a, const ku_scalar *b);
/* PyTorch's canCast (no float -> integral, no non-bool -> bool). */
bool ku_can_cast(ct_dtype from, ct_dtype to);
/* In-place check: "result type Float can't be cast to the desired output type Long". */
int ku_check_inplace(ct_dtype result, ct_dtype self, cts_err *err);

/* ---- scalars ---- */

/* Stores s into one element of dtype dt with C conversion semantics
 * (integers wrap; PyTorch's cast of a wrapped-number tensor). */
void ku_scalar_store(void *dst, ct_dtype dt, const ku_scalar *s);
/* Scalar::to<T>() of PyTorch: as above but errors "value cannot be
 * converted to type int8_t without overflow" when out of range. */
int ku_scalar_store_checked(void *dst, ct_dtype dt, const ku_scalar *s, cts_err *err);
/* The value of s after conversion to dt, read back as double (checked). */
int ku_scalar_as(const ku_scalar *s, ct_dtype dt, double *f, int64_t *i, cts_err *err);

/* A 0-dim tensor living in caller storage (no allocation), for feeding a
 * Scalar to the iterator.  Never retained past the kernel call. */
typedef struct ku_scalar_buf {
    ct_storage st;
    ct_tensor t;
    _Alignas(16) unsigned char data[16];
} ku_scalar_buf;
ct_tensor *ku_scalar_tensor(ku_scalar_buf *b, ct_dtype dt, const ku_scalar *s);

/* Sets every element of t (any strides) to s, converted with C semantics. */
void ku_fill(ct_tensor *t, const ku_scalar *s);

/* t itself (retained) when its dtype is dt, else a converted copy. */
ct_tensor *ku_cast(ct_tensor *t, ct_dtype dt, cts_err *err);

/* Copies src into dst (src broadcasts to dst's shape), converting dtypes as
 * PyTorch's static_cast does on x86 (float -> int8/16/32 through int32, NaN
 * and out-of-range giving INT_MIN before truncation; anything -> bool is
 * `!= 0`).  Typed loops over the coalesced iterator: a contiguous run is a
 * memcpy or one vectorizable loop.  No overlap check (callers do that). */
int ku_copy(ct_tensor *dst, const ct_tensor *src, cts_err *err);
/* New contiguous tensor of dtype dt with t's values (a fast ct_to_dtype). */
ct_tensor *ku_to_dtype(const ct_tensor *t, ct_dtype dt, cts_err *err);
/* t itself (retained) if contiguous, else a contiguous copy. */
ct_tensor *ku_contiguous(ct_tensor *t, cts_err *err);
/* PyTorch's reshape: a view when the strides allow, else a copy (with -1
 * inferred and PyTorch's shape errors). */
ct_tensor *ku_reshape(ct_tensor *t, int ndim, const int64_t *sizes, cts_err *err);

/* ---- shapes ---- */

/* Broadcast shape of n tensors; returns the ndim or -1. */
int ku_broadcast(int n, ct_tensor *const *ts, int64_t *shape, cts_err *err);
bool ku_same_shape(int na, const int64_t *a, int nb, const int64_t *b);
/* "output with shape [3] doesn't match the broadcast shape [2, 3]" unless equal. */
int ku_check_out_shape(const ct_tensor *out, int ndim, const int64_t *shape, cts_err *err);
/* The out= argument's resize (at::native::resize_output): out keeps its
 * storage and strides when its shape already is `shape`; otherwise it
 * becomes contiguous with that shape (a new storage when the old one is too
 * small).  Changes out's metadata in place, as PyTorch does. */
int ku_resize_out(ct_tensor *out, int ndim, const int64_t *shape, cts_err *err);

/* ---- float32 math that gcc vectorizes ---- */

/* Branch-free approximations written so that a loop calling them can
 * vectorize (libm's expf/tanhf are opaque calls).  gcc's -O2 "very cheap"
 * cost model does not vectorize a plain loop over them: write the loop in
 * fixed blocks of 8 with a scalar tail, as pointwise.c and rnn.c do.  Accuracy: ku_expf within 2
 * ulp over the whole range (denormal results included, NaN and +-inf
 * handled); ku_tanhf within 3 ulp; ku_erff is the Abramowitz-Stegun 7.1.26
 * formula PyTorch's AVX2 Vectorized<float>::erf uses (absolute error below
 * 1.5e-7), so GELU matches PyTorch's vectorized kernel. */
static inline float ku_bits_f32(int32_t b) {
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}
static inline int32_t ku_f32_bits(float f) {
    int32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}
/* m ? a : b for a mask m of 0 or -1; a ternary on floats would become a
 * branch that stops gcc's vectorizer */
static inline float ku_fsel(int32_t m, float a, float b) {
    return ku_bits_f32((ku_f32_bits(a) & m) | (ku_f32_bits(b) & ~m));
}
#define KU_MASK(cond) (-(int32_t)(cond))

static inline float ku_expf(float x) {
    /* exp(x) = 2^n exp(r), n = round(x / ln2), |r| <= ln2 / 2 */
    float t = x * 1.44269504088896341f;
    float m = t + 12582912.0f; /* 1.5 * 2^23: rounds t to an integer in m's low bits */
    float n = m - 12582912.0f;
    int32_t ni = ku_f32_bits(m) - 0x4B400000;
    float r = x - n * 0.693359375f; /* Cody-Waite: ln2 = C1 + C2 */
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500E-4f; /* Cephes expf minimax polynomial */
    p = p * r + 1.3981999507E-3f;
    p = p * r + 8.3334519073E-3f;
    p = p * r + 4.1665795894E-2f;
    p = p * r + 1.6666665459E-1f;
    p = p * r + 5.0000001201E-1f;
    p = p * (r * r) + r + 1.0f;
    ni = ni > 128 ? 128 : ni;
    ni = ni < -150 ? -150 : ni;
    /* 2^n in two factors keeps both normal, so denormal results round once */
    int32_t n1 = ni >> 1, n2 = ni - n1;
    float res = p * ku_bits_f32((n1 + 127) << 23) * ku_bits_f32((n2 + 127) << 23);
    res = ku_fsel(KU_MASK(x > 88.7228394f), INFINITY, res);
    res = ku_fsel(KU_MASK(x < -104.0f), 0.0f, res);
    return ku_fsel(KU_MASK(x != x), x, res);
}

static inline float ku_tanhf(float x) {
    float ax = fabsf(x), z = x * x;
    float p = -5.70498872745E-3f; /* Cephes tanhf, |x| < 0.625 */
    p = p * z + 2.06390887954E-2f;
    p = p * z - 5.37397155531E-2f;
    p = p * z + 1.33314422036E-1f;
    p = p * z - 3.33332819422E-1f;
    float small = p * z * x + x;
    float big = 1.0f - 2.0f / (ku_expf(2.0f * ax) + 1.0f);
    /* copysign also keeps tanh(-0) = -0 */
    return copysignf(ku_fsel(KU_MASK(ax < 0.625f), small, big), x);
}

static inline float ku_erff(float x) {
    float ax = fabsf(x);
    float t = 1.0f / (0.3275911f * ax + 1.0f);
    float r = 1.061405429f * t + -1.453152027f;
    r = r * t + 1.421413741f;
    r = r * t + -0.284496736f;
    r = r * t + 0.254829592f;
    float res = 1.0f - r * t * ku_expf(-(x * x));
    return copysignf(res, x);
}

/* ---- memory overlap (PyTorch's MemOverlap checks) ---- */

/* Errors when a written tensor has elements sharing memory (an expanded
 * view): "unsupported operation: more than one element of the written-to
 * tensor refers to a single memory location. ..." */
int ku_check_internal_overlap(const ct_tensor *out, cts_err *err);
/* Errors when out and in share memory in a different arrangement (x.add_(x)
 * is fine, x.add_(x.t()) is not).  Like PyTorch, only dense tensors are
 * checked; other cases count as "too hard" and pass. */
int ku_check_partial_overlap(const ct_tensor *out, const ct_tensor *in, cts_err *err);
/* As above but any overlap, even an identical view, is an error (copy_). */
int ku_check_no_overlap(const ct_tensor *out, const ct_tensor *in, cts_err *err);

/* ---- elementwise iteration ---- */

#define KU_MAX_OPS 4

/* 1-D inner loop: data[0] is the output, data[1..] the inputs; strides in
 * bytes; n elements. */
typedef void (*ku_loop_fn)(char **data, const int64_t *strides, int64_t n, const void *ctx);

typedef struct ku_iter {
    int nops;   /* output + inputs */
    int ndim;   /* after coalescing; >= 1 */
    int64_t numel;
    int64_t shape[CT_MAX_DIMS];                 /* innermost last */
    int64_t strides[KU_MAX_OPS][CT_MAX_DIMS];   /* bytes */
    char *data[KU_MAX_OPS];
} ku_iter;

/* Prepares iteration of out (whose shape must be the broadcast shape of the
 * inputs; inputs broadcast to it) over nin inputs (0..3).  Operands may have
 * any dtypes; the loop must know them. */
int ku_iter_init(ku_iter *it, ct_tensor *out, int nin, ct_tensor *const *in, cts_err *err);
void ku_iter_run(const ku_iter *it, ku_loop_fn fn, const void *ctx);
/* Runs elements [begin, end) of the row-major iteration space. */
void ku_iter_run_range(const ku_iter *it, ku_loop_fn fn, const void *ctx, int64_t begin, int64_t end);
/* As ku_iter_run, split over the pool's threads when the work (numel times
 * flops_per_elem) passes CTS_POOL_MIN_FLOPS; serial for a NULL pool.  The
 * loop must be safe to run on disjoint ranges at once (elementwise loops
 * are; loops that write one accumulator for many elements are not). */
void ku_iter_run_par(const ku_iter *it, ku_loop_fn fn, const void *ctx, cts_pool *pool, double flops_per_elem);

/* ---- linear layers inside fused kernels ---- */

/* PyTorch's message for mat1 [m, kk] . mat2 [k2, n] with kk != k2. */
int ku_mm_error(cts_err *err, int64_t m, int64_t kk, int64_t k2, int64_t n);
/* The shape checks addmm(b, mat1 [m, kk], w.t()) makes, in PyTorch's order
 * and words: w is 2-D, the bias (NULL: none) expands to [m, w.size(0)],
 * then the product's shapes.  A fused kernel takes only a 1-D bias: `what`
 * names the kernel in that error ("a recurrent layer", ...). */
int ku_check_linear(cts_err *err, const ct_tensor *w, const ct_tensor *b, int64_t m, int64_t kk, const char *what);

#endif
