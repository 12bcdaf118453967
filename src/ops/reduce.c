/* reduce.c - reductions: sum, mean, prod, amax/amin, max/min (whole and
 * along a dim, with indices), argmax/argmin, any/all, softmax and
 * log_softmax.
 *
 * Whole-set reductions (sum, prod, amax, any, ...) accumulate into a
 * keepdim-shaped accumulator (double for floating inputs, int64 otherwise)
 * that is broadcast over the input with stride 0 along reduced dims; the
 * elementwise iterator then calls a 1-D loop that either folds a run into one
 * accumulator (reduced innermost dim, 8 partial accumulators so gcc
 * vectorizes) or updates a row of accumulators (kept innermost dim).  The
 * result is converted to the output dtype at the end: integer sums wrap as
 * in PyTorch, float sums are more accurate than PyTorch's float cascade (equal
 * up to rounding of the last bit).
 *
 * NaN propagates through max/min (and amax/amin), as in PyTorch; argmax and
 * max.dim return the first NaN's index, or the first maximum's.
 *
 * Also std/var, norm, allclose/isclose/equal, topk, sort/argsort, cumsum,
 * count_nonzero and trace. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cpu.h"
#include "kutil.h"

/* ---- accumulating loops ---- */

enum { R_SUM, R_PROD, R_MAX, R_MIN, R_ANY, R_ALL };

#define R_LD_ID(x) (x)
#define R_LD_H(x) ct_half_to_float(x)
#define R_LD_BF(x) ct_bf16_to_float(x)

/* G(op, enum, storage type, accumulator type, load) */
#define R_DTYPES(G, op)                          \
    G(op, UINT8, uint8_t, int64_t, R_LD_ID)      \
    G(op, INT8, int8_t, int64_t, R_LD_ID)        \
    G(op, INT16, int16_t, int64_t, R_LD_ID)      \
    G(op, INT32, int32_t, int64_t, R_LD_ID)      \
    G(op, INT64, int64_t, int64_t, R_LD_ID)      \
    G(op, FLOAT16, uint16_t, double, R_LD_H)     \
    G(op, FLOAT32, float, double, R_LD_ID)       \
    G(op, FLOAT64, double, double, R_LD_ID)      \
    G(op, BOOL, uint8_t, int64_t, R_LD_ID)       \
    G(op, BFLOAT16, uint16_t, double, R_LD_BF)

/* acc = acc (op) v, in the accumulator type AT */
static inline int64_t r_add_int64_t(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static inline double r_add_double(double a, double b) { return a + b; }
static inline int64_t r_mul_int64_t(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static inline double r_mul_double(double a, double b) { return a * b; }
#define R_UPD_sum(AT, acc, v) r_add_##AT(acc, v)
#define R_UPD_prod(AT, acc, v) r_mul_##AT(acc, v)
#define R_UPD_max(AT, acc, v) (((v) != (v) || (v) > (acc)) ? (v) : (acc))
#define R_UPD_min(AT, acc, v) (((v) != (v) || (v) < (acc)) ? (v) : (acc))
#define R_UPD_any(AT, acc, v) ((AT)((acc) != 0 || (v) != 0))
#define R_UPD_all(AT, acc, v) ((AT)((acc) != 0 && (v) != 0))

#define R_LOOP(op, E, T, AT, LD)                                                             \
    static void r_##op##_##E(char **d, const int64_t *s, int64_t n, const void *vc) {        \
        (void)vc;                                                                            \
        if (s[0] == 0) {                                                                     \
            AT acc = *(AT *)d[0];                                                            \
            int64_t i = 0;                                                                   \
            if (s[1] == (int64_t)sizeof(T) && n >= 16) {                                     \
                const T *x = (const T *)d[1];                                                \
                AT p[8];                                                                     \
                for (int j = 0; j < 8; j++) p[j] = acc;                                      \
                for (; i + 8 <= n; i += 8)                                                   \
                    for (int j = 0; j < 8; j++) {                                            \
                        AT v = (AT)LD(x[i + j]);                                             \
                        p[j] = R_UPD_##op(AT, p[j], v);                                      \
                    }                                                                        \
                acc = p[0];                                                                  \
                for (int j = 1; j < 8; j++) acc = R_UPD_##op(AT, acc, p[j]);                 \
            }                                                                                \
            for (; i < n; i++) {                                                             \
                AT v = (AT)LD(*(const T *)(d[1] + i * s[1]));                                \
                acc = R_UPD_##op(AT, acc, v);                                                \
            }                                                                                \
            *(AT *)d[0] = acc;                                                               \
        } else if (s[0] == (int64_t)sizeof(AT) && s[1] == (int64_t)sizeof(T)) {              \
            AT *a = (AT *)d[0];                                                              \
            const T *x = (const T *)d[1];                                                    \
            for (int64_t i = 0; i < n; i++) {                                                \
                AT v = (AT)LD(x[i]);                                                         \
                a[i] = R_UPD_##op(AT, a[i], v);                                              \
            }                                                                                \
        } else {                                                                             \
            for (int64_t i = 0; i < n; i++) {                                                \
                AT *a = (AT *)(d[0] + i * s[0]);                                             \
                AT v = (AT)LD(*(const T *)(d[1] + i * s[1]));                                \
                *a = R_UPD_##op(AT, *a, v);                                                  \
            }                                                                                \
        }                                                                                    \
    }
#define R_TAB(op, E, T, AT, LD) [CT_##E] = r_##op##_##E,
#define R_OP(op) R_DTYPES(R_LOOP, op) static const ku_loop_fn r_##op##_loops[CT_DTYPE_LIMIT] = {R_DTYPES(R_TAB, op)};

R_OP(sum)
R_OP(prod)
R_OP(max)
R_OP(min)
R_OP(any)
R_OP(all)

static const ku_loop_fn *r_loops(int op) {
    switch (op) {
    case R_SUM: return r_sum_loops;
    case R_PROD: return r_prod_loops;
    case R_MAX: return r_max_loops;
    case R_MIN: return r_min_loops;
    case R_ANY: return r_any_loops;
    default: return r_all_loops;
    }
}

static const char *r_name(int op) {
    static const char *const names[] = {"sum", "prod", "amax", "amin", "any", "all"};
    return names[op];
}

/* ---- dims ---- */

/* Marks the reduced dims of an ndim tensor from a dim list (n < 0 or n == 0:
 * all dims).  Errors on repeats. */
static int dim_mask(cts_kctx *k, int ndim, const int64_t *dims, int n, bool *mask) {
    for (int d = 0; d < CT_MAX_DIMS; d++) mask[d] = n <= 0;
    if (n <= 0) return 0;
    bool seen[CT_MAX_DIMS + 1] = {0};
    for (int i = 0; i < n; i++) {
        int64_t d = ct_wrap_dim(dims[i], ndim, k->err);
        if (d < 0) return -1;
        if (seen[d]) return cts_err_set(k->err, "dim %lld appears multiple times in the list of dims", (long long)d);
        seen[d] = true;
        if (ndim > 0) mask[d] = true;
    }
    return 0;
}

/* keepdim shape and the final shape of a reduction */
static int reduced_shape(const ct_tensor *t, const bool *mask, bool keepdim, int64_t *keep, int64_t *out) {
    int n = 0;
    for (int d = 0; d < t->ndim; d++) {
        keep[d] = mask[d] ? 1 : t->sizes[d];
        if (!mask[d] || keepdim) out[n++] = keep[d];
    }
    return n;
}

/* ---- the generic reduction ---- */

/* Reduces x (already in the dtype the op reads) over mask into a new
 * tensor of dtype out_dt. */
static ct_tensor *reduce(cts_kctx *k, int op, ct_tensor *x, const bool *mask, bool keepdim, ct_dtype out_dt) {
    cts_err *err = k->err;
    int64_t keep[CT_MAX_DIMS], oshape[CT_MAX_DIMS];
    int on = reduced_shape(x, mask, keepdim, keep, oshape);
    bool fl = ct_dtype_is_float(x->dtype);
    ct_dtype at = fl ? CT_FLOAT64 : CT_INT64;
    ct_tensor *acc = ct_tensor_empty(at, x->ndim, keep, err);
    if (!acc) return NULL;
    ku_scalar init;
    switch (op) {
    case R_SUM: case R_ANY: init = ku_scalar_int(0); break;
    case R_PROD: case R_ALL: init = ku_scalar_int(1); break;
    case R_MAX: init = fl ? ku_scalar_float(-INFINITY) : ku_scalar_int(INT64_MIN); break;
    default: init = fl ? ku_scalar_float(INFINITY) : ku_scalar_int(INT64_MAX); break;
    }
    ku_fill(acc, &init);
    ct_tensor *ex = ct_expand(acc, x->ndim, x->sizes, err), *res = NULL;
    ku_iter it;
    if (ex && ku_iter_init(&it, ex, 1, &x, err) == 0) {
        ku_iter_run(&it, r_loops(op)[x->dtype], NULL);
        ct_tensor *conv = ku_to_dtype(acc, out_dt, err);
        if (conv) {
            res = ct_view(conv, on, oshape, err);
            ct_tensor_release(conv);
        }
    }
    ct_tensor_release(ex);
    ct_tensor_release(acc);
    return res;
}

/* The reduced dims must be non-empty for max/min-like ops. */
static int check_nonempty(cts_kctx *k, const char *name, const ct_tensor *x, const bool *mask, bool all_dims) {
    if (ct_numel(x) != 0) return 0;
    if (all_dims)
        return cts_err_set(k->err,
                           "%s(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.",
                           name);
    for (int d = 0; d < x->ndim; d++)
        if (mask[d] && x->sizes[d] == 0)
            return cts_err_set(k->err, "%s(): Expected reduction dim %d to have non-zero size.", name, d);
    return 0;
}

/* ---- sum, mean, prod ---- */

static ct_dtype sum_dtype(ct_dtype in, ct_dtype given) {
    if (given != CT_DTYPE_INVALID) return given;
    return ct_dtype_is_int(in) || in == CT_BOOL ? CT_INT64 : in;
}

static int sum_like(cts_kctx *k, int op, ct_tensor *self, const int64_t *dims, int nd, bool keepdim, ct_dtype dt,
                    cv_value *outs) {
    bool mask[CT_MAX_DIMS];
    if (dim_mask(k, self->ndim, dims, nd, mask)) return -1;
    ct_dtype od = sum_dtype(self->dtype, dt);
    ct_tensor *x = ku_cast(self, od, k->err);
    if (!x) return -1;
    ct_tensor *r = reduce(k, op, x, mask, keepdim, od);
    ct_tensor_release(x);
    return ku_ret(outs, r);
}

static int k_sum(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_opt_dtype(&A, 1, &dt)) return -1;
    return sum_like(k, R_SUM, self, NULL, -1, false, dt, outs);
}

static int k_sum_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    bool keepdim;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_opt_int_list(&A, 1, dims, CT_MAX_DIMS, &nd) || ku_bool(&A, 2, &keepdim) ||
        ku_opt_dtype(&A, 3, &dt))
        return -1;
    return sum_like(k, R_SUM, self, dims, nd, keepdim, dt, outs);
}

static int k_prod(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_opt_dtype(&A, 1, &dt)) return -1;
    return sum_like(k, R_PROD, self, NULL, -1, false, dt, outs);
}

static int k_prod_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    bool keepdim;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_bool(&A, 2, &keepdim) || ku_opt_dtype(&A, 3, &dt))
        return -1;
    return sum_like(k, R_PROD, self, &dim, 1, keepdim, dt, outs);
}

static int mean_impl(cts_kctx *k, ct_tensor *self, const int64_t *dims, int nd, bool keepdim, ct_dtype dt,
                     cv_value *outs) {
    if (dt == CT_DTYPE_INVALID && !ct_dtype_is_float(self->dtype))
        return cts_err_set(k->err,
                           "mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           "complex dtype. Got: %s",
                           ku_dtype_tname(self->dtype));
    if (dt != CT_DTYPE_INVALID && !ct_dtype_is_float(dt))
        return cts_err_set(k->err,
                           "mean(): could not infer output dtype. Optional dtype must be either a floating point or "
                           "complex dtype. Got: %s",
                           ku_dtype_tname(dt));
    bool mask[CT_MAX_DIMS];
    if (dim_mask(k, self->ndim, dims, nd, mask)) return -1;
    ct_dtype od = dt != CT_DTYPE_INVALID ? dt : self->dtype;
    int64_t count = 1;
    for (int d = 0; d < self->ndim; d++)
        if (mask[d]) count *= self->sizes[d];
    ct_tensor *x = ku_cast(self, od, k->err);
    if (!x) return -1;
    ct_tensor *r = reduce(k, R_SUM, x, mask, keepdim, od);
    ct_tensor_release(x);
    if (!r) return -1;
    /* PyTorch divides the rounded sum by the count in the output dtype */
    int64_t n = ct_numel(r);
    char *p = ct_data(r);
    int esz = ct_dtype_size(od);
    unsigned char cbuf[8];
    ct_store_f64(cbuf, od, (double)count);
    double c = ct_load_f64(cbuf, od);
    for (int64_t i = 0; i < n; i++) {
        double v = ct_load_f64(p + i * esz, od);
        if (od == CT_FLOAT64) ct_store_f64(p + i * esz, od, v / c);
        else ct_store_f64(p + i * esz, od, (float)v / (float)c);
    }
    return ku_ret(outs, r);
}

static int k_mean(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_opt_dtype(&A, 1, &dt)) return -1;
    return mean_impl(k, self, NULL, -1, false, dt, outs);
}

static int k_mean_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    bool keepdim;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_opt_int_list(&A, 1, dims, CT_MAX_DIMS, &nd) || ku_bool(&A, 2, &keepdim) ||
        ku_opt_dtype(&A, 3, &dt))
        return -1;
    return mean_impl(k, self, dims, nd, keepdim, dt, outs);
}

/* ---- amax, amin, max(), min(), any, all ---- */

static int k_amax_amin(cts_kctx *k, const cv_value *args, int nargs, int op, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    bool keepdim, mask[CT_MAX_DIMS];
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, dims, CT_MAX_DIMS, &nd) || ku_bool(&A, 2, &keepdim)) return -1;
    if (dim_mask(k, self->ndim, dims, nd, mask) || check_nonempty(k, r_name(op), self, mask, nd == 0)) return -1;
    return ku_ret(outs, reduce(k, op, self, mask, keepdim, self->dtype));
}
static int k_amax(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return k_amax_amin(k, args, nargs, R_MAX, outs);
}
static int k_amin(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return k_amax_amin(k, args, nargs, R_MIN, outs);
}

static int max_all(cts_kctx *k, const cv_value *args, int nargs, int op, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    bool mask[CT_MAX_DIMS];
    if (ku_tensor(&A, 0, &self)) return -1;
    dim_mask(k, self->ndim, NULL, -1, mask);
    if (check_nonempty(k, op == R_MAX ? "max" : "min", self, mask, true)) return -1;
    return ku_ret(outs, reduce(k, op, self, mask, false, self->dtype));
}
static int k_max(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return max_all(k, args, nargs, R_MAX, outs);
}
static int k_min(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return max_all(k, args, nargs, R_MIN, outs);
}

/* any/all: bool result (uint8 for uint8 input, as PyTorch) */
static int any_all(cts_kctx *k, const cv_value *args, int nargs, int op, bool has_dim, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim = 0;
    bool keepdim = false, mask[CT_MAX_DIMS];
    if (ku_tensor(&A, 0, &self)) return -1;
    if (has_dim && (ku_int(&A, 1, &dim) || ku_bool(&A, 2, &keepdim))) return -1;
    if (dim_mask(k, self->ndim, has_dim ? &dim : NULL, has_dim ? 1 : -1, mask)) return -1;
    return ku_ret(outs, reduce(k, op, self, mask, keepdim, self->dtype == CT_UINT8 ? CT_UINT8 : CT_BOOL));
}
static int k_any(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return any_all(k, args, nargs, R_ANY, false, outs);
}
static int k_all(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return any_all(k, args, nargs, R_ALL, false, outs);
}
static int k_any_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return any_all(k, args, nargs, R_ANY, true, outs);
}
static int k_all_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return any_all(k, args, nargs, R_ALL, true, outs);
}

/* ---- along one dim, with indices: max.dim, min.dim, argmax, argmin ---- */

/* Rows of t along dim as a contiguous [outer, n] double or int64 copy. */
typedef struct rows {
    ct_tensor *buf; /* FLOAT64 or INT64, shape [..., n] with dim moved last */
    int64_t nrows, n;
} rows;

static int rows_of(cts_kctx *k, ct_tensor *t, int64_t dim, rows *r) {
    int64_t perm[CT_MAX_DIMS];
    int m = 0;
    for (int d = 0; d < t->ndim; d++)
        if (d != dim) perm[m++] = d;
    perm[m++] = dim;
    ct_tensor *p = ct_permute(t, t->ndim, perm, k->err);
    if (!p) return -1;
    r->buf = ku_to_dtype(p, ct_dtype_is_float(t->dtype) ? CT_FLOAT64 : CT_INT64, k->err);
    ct_tensor_release(p);
    if (!r->buf) return -1;
    r->n = t->sizes[dim];
    r->nrows = r->n ? ct_numel(t) / r->n : 0;
    return 0;
}

/* index of the first max (is_max) / min, or of the first NaN */
static int64_t best_f(const double *x, int64_t n, bool is_max) {
    int64_t bi = 0;
    double b = x[0];
    if (b != b) return 0;
    for (int64_t i = 1; i < n; i++) {
        double v = x[i];
        if (v != v) return i;
        if (is_max ? v > b : v < b) {
            b = v;
            bi = i;
        }
    }
    return bi;
}
static int64_t best_i(const int64_t *x, int64_t n, bool is_max) {
    int64_t bi = 0, b = x[0];
    for (int64_t i = 1; i < n; i++)
        if (is_max ? x[i] > b : x[i] < b) {
            b = x[i];
            bi = i;
        }
    return bi;
}

/* values (may be NULL) and indices of the best element along dim */
static int best_along(cts_kctx *k, const char *name, ct_tensor *self, int64_t dim, bool keepdim, bool is_max,
                      ct_tensor **vals, ct_tensor **idx) {
    if (self->ndim == 0) { /* a scalar is its own extremum, index 0 */
        if (ct_wrap_dim(dim, 0, k->err) < 0) return -1;
        if (vals && !(*vals = ku_to_dtype(self, self->dtype, k->err))) return -1;
        if (!(*idx = ct_tensor_scalar_i64(CT_INT64, 0, k->err))) {
            if (vals) ct_tensor_release(*vals);
            return -1;
        }
        return 0;
    }
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    if (self->sizes[dim] == 0)
        return cts_err_set(k->err, "%s(): Expected reduction dim %lld to have non-zero size.", name, (long long)dim);
    bool mask[CT_MAX_DIMS] = {0};
    mask[dim] = true;
    int64_t keep[CT_MAX_DIMS], oshape[CT_MAX_DIMS];
    int on = reduced_shape(self, mask, keepdim, keep, oshape);
    rows r;
    if (rows_of(k, self, dim, &r)) return -1;
    ct_tensor *v = vals ? ct_tensor_empty(self->dtype, on, oshape, k->err) : NULL;
    ct_tensor *ix = (!vals || v) ? ct_tensor_empty(CT_INT64, on, oshape, k->err) : NULL;
    if (!ix) {
        ct_tensor_release(v);
        ct_tensor_release(r.buf);
        return -1;
    }
    bool fl = r.buf->dtype == CT_FLOAT64;
    int64_t *io = ct_data(ix);
    char *vo = v ? ct_data(v) : NULL;
    int esz = ct_dtype_size(self->dtype);
    for (int64_t i = 0; i < r.nrows; i++) {
        if (fl) {
            const double *x = (const double *)ct_data(r.buf) + i * r.n;
            io[i] = best_f(x, r.n, is_max);
            if (vo) ct_store_f64(vo + i * esz, self->dtype, x[io[i]]);
        } else {
            const int64_t *x = (const int64_t *)ct_data(r.buf) + i * r.n;
            io[i] = best_i(x, r.n, is_max);
            if (vo) ct_store_i64(vo + i * esz, self->dtype, x[io[i]]);
        }
    }
    ct_tensor_release(r.buf);
    if (vals) *vals = v;
    *idx = ix;
    return 0;
}

static int max_dim(cts_kctx *k, const cv_value *args, int nargs, bool is_max, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *v, *ix;
    int64_t dim;
    bool keepdim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_bool(&A, 2, &keepdim)) return -1;
    if (best_along(k, is_max ? "max" : "min", self, dim, keepdim, is_max, &v, &ix)) return -1;
    outs[0] = cv_tensor(v);
    outs[1] = cv_tensor(ix);
    return 0;
}
static int k_max_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return max_dim(k, args, nargs, true, outs);
}
static int k_min_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return max_dim(k, args, nargs, false, outs);
}

static int arg_best(cts_kctx *k, const cv_value *args, int nargs, bool is_max, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    const char *name = is_max ? "argmax" : "argmin";
    ct_tensor *self, *ix;
    int64_t dim;
    bool has_dim, keepdim;
    if (ku_tensor(&A, 0, &self) || ku_opt_int(&A, 1, &dim, &has_dim) || ku_bool(&A, 2, &keepdim)) return -1;
    if (self->dtype == CT_BOOL)
        return cts_err_set(k->err, "\"%s_cpu\" not implemented for 'Bool'", name);
    if (has_dim) {
        if (best_along(k, name, self, dim, keepdim, is_max, NULL, &ix)) return -1;
        return ku_ret(outs, ix);
    }
    if (ct_numel(self) == 0)
        return cts_err_set(k->err, "%s(): Expected reduction dim to be specified for input.numel() == 0.", name);
    int64_t n = ct_numel(self);
    ct_tensor *flat = ku_reshape(self, 1, &n, k->err);
    if (!flat) return -1;
    int rc = best_along(k, name, flat, 0, false, is_max, NULL, &ix);
    ct_tensor_release(flat);
    if (rc) return -1;
    if (keepdim && self->ndim > 0) { /* all dims kept as 1 */
        int64_t ones[CT_MAX_DIMS];
        for (int d = 0; d < self->ndim; d++) ones[d] = 1;
        ct_tensor *v = ct_view(ix, self->ndim, ones, k->err);
        ct_tensor_release(ix);
        return ku_ret(outs, v);
    }
    return ku_ret(outs, ix);
}
static int k_argmax(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return arg_best(k, args, nargs, true, outs);
}
static int k_argmin(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return arg_best(k, args, nargs, false, outs);
}

/* ---- softmax, log_softmax ---- */

/* (log-)softmax of one contiguous row (inner == 1), or of `inner`
 * interleaved rows at stride `inner`.  T is float or double; the math
 * follows PyTorch's kernels: max (NaN propagates), exp(x - max), sum, then
 * multiply by 1/sum (softmax) or subtract log(sum) (log_softmax).  Loops are
 * in blocks of 8 with independent partial results so that gcc vectorizes. */
#define SOFTMAX_FN(ATTR, name, T, EXP, LOG)                                                  \
    ATTR static void name##_row(const T *x, T *y, int64_t n, bool log_) {                         \
        T pm[8], ps[8], m, s;                                                                \
        int64_t i = 0;                                                                       \
        for (int j = 0; j < 8; j++) pm[j] = x[0];                                            \
        for (; i + 8 <= n; i += 8)                                                           \
            for (int j = 0; j < 8; j++) {                                                    \
                T v = x[i + j];                                                              \
                pm[j] = ((v != v) | (v > pm[j])) ? v : pm[j];                                \
            }                                                                                \
        m = pm[0];                                                                           \
        for (int j = 1; j < 8; j++) m = ((pm[j] != pm[j]) | (pm[j] > m)) ? pm[j] : m;        \
        for (; i < n; i++) m = ((x[i] != x[i]) | (x[i] > m)) ? x[i] : m;                     \
        for (int j = 0; j < 8; j++) ps[j] = 0;                                               \
        for (i = 0; i + 8 <= n; i += 8) {                                                    \
            T e_[8];                                                                         \
            for (int j = 0; j < 8; j++) e_[j] = EXP(x[i + j] - m);                           \
            for (int j = 0; j < 8; j++) ps[j] += e_[j];                                      \
            if (!log_)                                                                       \
                for (int j = 0; j < 8; j++) y[i + j] = e_[j];                                \
        }                                                                                    \
        s = ((ps[0] + ps[1]) + (ps[2] + ps[3])) + ((ps[4] + ps[5]) + (ps[6] + ps[7]));       \
        for (; i < n; i++) {                                                                 \
            T e = EXP(x[i] - m);                                                             \
            s += e;                                                                          \
            if (!log_) y[i] = e;                                                             \
        }                                                                                    \
        if (log_) {                                                                          \
            T ls = LOG(s);                                                                   \
            for (i = 0; i < n; i++) y[i] = x[i] - m - ls;                                    \
        } else {                                                                             \
            T r = (T)1 / s;                                                                  \
            for (i = 0; i < n; i++) y[i] *= r;                                               \
        }                                                                                    \
    }                                                                                        \
    /* column helpers over `inner` contiguous lanes, in blocks of 8 */                     \
    ATTR static void name##_max(T *m, const T *x, int64_t n) {                                    \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8)                                                           \
            for (int k = 0; k < 8; k++) {                                                    \
                T v = x[j + k], mm = m[j + k];                                               \
                m[j + k] = ((v != v) | (v > mm)) ? v : mm;                                   \
            }                                                                                \
        for (; j < n; j++) m[j] = ((x[j] != x[j]) | (x[j] > m[j])) ? x[j] : m[j];            \
    }                                                                                        \
    ATTR static void name##_exp(T *y, T *sum, const T *x, const T *m, int64_t n) {                \
        int64_t j = 0;                                                                       \
        for (; j + 8 <= n; j += 8) {                                                         \
            T e_[8];                                                                         \
            for (int k = 0; k < 8; k++) e_[k] = EXP(x[j + k] - m[j + k]);                    \
            for (int k = 0; k < 8; k++) {                                                    \
                y[j + k] = e_[k];                                                            \
                sum[j + k] += e_[k];                                                         \
            }                                                                                \
        }                                                                                    \
        for (; j < n; j++) {                                                                 \
            y[j] = EXP(x[j] - m[j]);                                                         \
            sum[j] += y[j];                                                                  \
        }                                                                                    \
    }                                                                                        \
    ATTR static void name(const T *x, T *y, int64_t n, int64_t inner, bool log_, T *tmp) {        \
        if (inner == 1) {                                                                    \
            name##_row(x, y, n, log_);                                                       \
            return;                                                                          \
        }                                                                                    \
        T *sum = tmp + inner;                                                                \
        memcpy(tmp, x, sizeof(T) * (size_t)inner);                                           \
        for (int64_t i = 1; i < n; i++) name##_max(tmp, x + i * inner, inner);               \
        memset(sum, 0, sizeof(T) * (size_t)inner);                                           \
        /* exp(x - max) into y (log_softmax overwrites it below) */                          \
        for (int64_t i = 0; i < n; i++) name##_exp(y + i * inner, sum, x + i * inner, tmp, inner); \
        if (log_) {                                                                          \
            for (int64_t j = 0; j < inner; j++) sum[j] = LOG(sum[j]);                        \
            for (int64_t i = 0; i < n; i++)                                                  \
                for (int64_t j = 0; j < inner; j++)                                          \
                    y[i * inner + j] = x[i * inner + j] - tmp[j] - sum[j];                   \
        } else {                                                                             \
            for (int64_t j = 0; j < inner; j++) sum[j] = (T)1 / sum[j];                      \
            for (int64_t i = 0; i < n; i++)                                                  \
                for (int64_t j = 0; j < inner; j++) y[i * inner + j] *= sum[j];              \
        }                                                                                    \
    }
SOFTMAX_FN(, softmax_f, float, ku_expf, logf)
SOFTMAX_FN(, softmax_d, double, exp, log)
#if defined(__x86_64__) || defined(__i386__)
#define R_X86 1
SOFTMAX_FN(__attribute__((target("avx2,fma"))), softmax_f_avx2, float, ku_expf, logf)
#endif

static int softmax_impl(cts_kctx *k, const cv_value *args, int nargs, bool log_, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_opt_dtype(&A, 2, &dt)) return -1;
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    ct_dtype od = dt != CT_DTYPE_INVALID ? dt : self->dtype;
    if (!ct_dtype_is_float(od)) {
        bool last = self->ndim == 0 || dim == self->ndim - 1;
        return cts_err_set(k->err, "\"%s%s_kernel_impl\" not implemented for '%s'", log_ ? "log_softmax" : "softmax",
                           last ? "_lastdim" : "", ku_dtype_tname(od));
    }
    /* compute in float (float32, half, bfloat16) or double */
    ct_dtype cd = od == CT_FLOAT64 ? CT_FLOAT64 : CT_FLOAT32;
    ct_tensor *x = ku_cast(self, od, k->err), *xc = NULL, *y = NULL;
    if (x && od != cd) { /* half/bfloat16: round to the dtype first, then widen */
        ct_tensor *w = ku_to_dtype(x, cd, k->err);
        ct_tensor_release(x);
        x = w;
    }
    if (!x) return -1;
    xc = ku_contiguous(x, k->err);
    ct_tensor_release(x);
    if (!xc) return -1;
    y = ct_tensor_empty(cd, self->ndim, self->sizes, k->err);
    int64_t n = self->ndim ? self->sizes[dim] : 1, inner = 1, outer = 1;
    for (int d = 0; d < self->ndim; d++) {
        if (d < dim) outer *= self->sizes[d];
        if (d > dim) inner *= self->sizes[d];
    }
    void *tmp = y ? malloc((size_t)(2 * (inner ? inner : 1)) * (size_t)ct_dtype_size(cd)) : NULL;
    int rc = -1;
    void (*ff)(const float *, float *, int64_t, int64_t, bool, float *) = softmax_f;
#ifdef R_X86
    if (cts_cpu_isa() >= CTS_ISA_AVX2) ff = softmax_f_avx2;
#endif
    if (y && !tmp) cts_err_oom(k->err, "softmax", (size_t)(2 * inner) * (size_t)ct_dtype_size(cd));
    if (tmp) {
        if (n > 0 && inner > 0)
            for (int64_t o = 0; o < outer; o++) {
                if (cd == CT_FLOAT32)
                    ff((const float *)ct_data(xc) + o * n * inner, (float *)ct_data(y) + o * n * inner, n, inner,
                       log_, tmp);
                else
                    softmax_d((const double *)ct_data(xc) + o * n * inner, (double *)ct_data(y) + o * n * inner, n,
                              inner, log_, tmp);
            }
        rc = 0;
    }
    free(tmp);
    ct_tensor_release(xc);
    if (rc) {
        ct_tensor_release(y);
        return -1;
    }
    if (od != cd) {
        ct_tensor *r = ku_to_dtype(y, od, k->err);
        ct_tensor_release(y);
        y = r;
    }
    return ku_ret(outs, y);
}
static int k_softmax(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return softmax_impl(k, args, nargs, false, outs);
}
static int k_log_softmax(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return softmax_impl(k, args, nargs, true, outs);
}

/* ---- std ---- */

/* Standard deviation over mask with PyTorch's divisor max(0, N - correction)
 * (0/0 = nan, x/0 = inf), computed in double with two passes and rounded
 * to self's dtype (PyTorch accumulates in double too, by Welford). */
/* The reduced elements of self as contiguous double rows: the kept dims
 * first, the reduced dims last (*len elements a row), and a new tensor of
 * dtype out_dt with the reduction's output shape.  0 or -1. */
static int red_rows(cts_kctx *k, ct_tensor *self, const bool *mask, bool keepdim, ct_dtype out_dt, ct_tensor **buf,
                    ct_tensor **out, int64_t *len) {
    int64_t keep[CT_MAX_DIMS], oshape[CT_MAX_DIMS], perm[CT_MAX_DIMS];
    int on = reduced_shape(self, mask, keepdim, keep, oshape), m = 0;
    *len = 1;
    for (int d = 0; d < self->ndim; d++)
        if (!mask[d]) perm[m++] = d;
    for (int d = 0; d < self->ndim; d++)
        if (mask[d]) {
            perm[m++] = d;
            *len *= self->sizes[d];
        }
    ct_tensor *p = ct_permute(self, self->ndim, perm, k->err);
    if (!p) return -1;
    *buf = ku_to_dtype(p, CT_FLOAT64, k->err);
    ct_tensor_release(p);
    if (!*buf) return -1;
    *out = ct_tensor_empty(out_dt, on, oshape, k->err);
    if (!*out) {
        ct_tensor_release(*buf);
        return -1;
    }
    return 0;
}

/* Standard deviation, or the variance when !root. */
static int std_impl(cts_kctx *k, ct_tensor *self, const int64_t *dims, int nd, int64_t correction, bool keepdim,
                    bool root, cv_value *outs) {
    if (!ct_dtype_is_float(self->dtype))
        return cts_err_set(k->err, "std and var only support floating point and complex dtypes");
    bool mask[CT_MAX_DIMS];
    if (dim_mask(k, self->ndim, dims, nd, mask)) return -1;
    ct_tensor *buf, *r;
    int64_t len;
    if (red_rows(k, self, mask, keepdim, self->dtype, &buf, &r, &len)) return -1;
    int64_t nrows = ct_numel(r);
    const double *x = ct_data(buf);
    char *o = ct_data(r);
    int esz = ct_dtype_size(self->dtype);
    double div = (double)len - (double)correction;
    if (div < 0) div = 0;
    for (int64_t i = 0; i < nrows; i++) {
        const double *row = x + i * len;
        double mean = 0, m2 = 0;
        for (int64_t j = 0; j < len; j++) mean += row[j];
        mean = len ? mean / (double)len : NAN;
        for (int64_t j = 0; j < len; j++) m2 += (row[j] - mean) * (row[j] - mean);
        double var = len ? m2 / div : NAN;
        ct_store_f64(o + i * esz, self->dtype, root ? sqrt(var) : var);
    }
    ct_tensor_release(buf);
    return ku_ret(outs, r);
}

static int std_whole(cts_kctx *k, const cv_value *args, int nargs, bool root, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    bool unbiased;
    if (ku_tensor(&A, 0, &self) || ku_bool(&A, 1, &unbiased)) return -1;
    return std_impl(k, self, NULL, -1, unbiased, false, root, outs);
}

static int std_dim(cts_kctx *k, const cv_value *args, int nargs, bool root, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    bool unbiased, keepdim;
    if (ku_tensor(&A, 0, &self) || ku_opt_int_list(&A, 1, dims, CT_MAX_DIMS, &nd) || ku_bool(&A, 2, &unbiased) ||
        ku_bool(&A, 3, &keepdim))
        return -1;
    return std_impl(k, self, dims, nd, unbiased, keepdim, root, outs);
}

static int std_correction(cts_kctx *k, const cv_value *args, int nargs, bool root, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS], corr;
    int nd;
    bool has_corr, keepdim;
    if (ku_tensor(&A, 0, &self) || ku_opt_int_list(&A, 1, dims, CT_MAX_DIMS, &nd) ||
        ku_opt_int(&A, 2, &corr, &has_corr) || ku_bool(&A, 3, &keepdim))
        return -1;
    return std_impl(k, self, dims, nd, has_corr ? corr : 1, keepdim, root, outs);
}

static int k_std(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_whole(k, args, nargs, true, outs);
}
static int k_std_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_dim(k, args, nargs, true, outs);
}
static int k_std_correction(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_correction(k, args, nargs, true, outs);
}
static int k_var(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_whole(k, args, nargs, false, outs);
}
static int k_var_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_dim(k, args, nargs, false, outs);
}
static int k_var_correction(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return std_correction(k, args, nargs, false, outs);
}

/* ---- norm ---- */

/* The vector p-norm over mask: p = 0 counts non-zeros, +-inf take the
 * max / min magnitude (0 for an empty set), 1 and 2 are sums; other p are
 * (sum |x|^p)^(1/p).  Computed in double, rounded to self's dtype. */
static int norm_impl(cts_kctx *k, ct_tensor *self, double p, const int64_t *dims, int nd, bool keepdim,
                     cv_value *outs) {
    if (!ct_dtype_is_float(self->dtype))
        return cts_err_set(k->err, "norm(): input dtype should be either floating point or complex. Got %s instead.",
                           ku_dtype_tname(self->dtype));
    bool mask[CT_MAX_DIMS];
    if (dim_mask(k, self->ndim, dims, nd, mask)) return -1;
    ct_tensor *buf, *r;
    int64_t len;
    if (red_rows(k, self, mask, keepdim, self->dtype, &buf, &r, &len)) return -1;
    int64_t nrows = ct_numel(r);
    const double *x = ct_data(buf);
    char *o = ct_data(r);
    int esz = ct_dtype_size(self->dtype);
    for (int64_t i = 0; i < nrows; i++) {
        const double *row = x + i * len;
        double acc = 0;
        if (p == 0) {
            for (int64_t j = 0; j < len; j++) acc += row[j] != 0;
        } else if (isinf(p)) {
            acc = len ? fabs(row[0]) : 0;
            for (int64_t j = 0; j < len; j++) {
                double a = fabs(row[j]);
                if (a != a || (p > 0 ? a > acc : a < acc)) acc = a;
                if (acc != acc) break;
            }
        } else if (p == 1) {
            for (int64_t j = 0; j < len; j++) acc += fabs(row[j]);
        } else if (p == 2) {
            for (int64_t j = 0; j < len; j++) acc += row[j] * row[j];
            acc = sqrt(acc);
        } else {
            for (int64_t j = 0; j < len; j++) acc += pow(fabs(row[j]), p);
            acc = pow(acc, 1.0 / p);
        }
        ct_store_f64(o + i * esz, self->dtype, acc);
    }
    ct_tensor_release(buf);
    return ku_ret(outs, r);
}

static int k_norm(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ku_scalar p;
    if (ku_tensor(&A, 0, &self) || ku_scalar_arg(&A, 1, &p)) return -1;
    return norm_impl(k, self, p.f, NULL, -1, false, outs);
}

static int k_norm_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ku_scalar p;
    bool has_p, keepdim;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    if (ku_tensor(&A, 0, &self) || ku_opt_scalar(&A, 1, &p, &has_p) || ku_int_list(&A, 2, dims, CT_MAX_DIMS, &nd) ||
        ku_bool(&A, 3, &keepdim))
        return -1;
    return norm_impl(k, self, has_p ? p.f : 2.0, dims, nd, keepdim, outs);
}

/* ---- allclose ---- */

/* PyTorch's isclose: equal, or both NaN with equal_nan, or a finite
 * difference within atol + rtol * |other|; operands broadcast; dtypes must
 * match. */
static int k_allclose(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *a, *b;
    double rtol, atol;
    bool equal_nan;
    if (ku_tensor(&A, 0, &a) || ku_tensor(&A, 1, &b) || ku_float(&A, 2, &rtol) || ku_float(&A, 3, &atol) ||
        ku_bool(&A, 4, &equal_nan))
        return -1;
    if (a->dtype != b->dtype)
        return cts_err_set(k->err, "%s did not match %s", ku_dtype_tname(a->dtype), ku_dtype_tname(b->dtype));
    ct_tensor *ab[2] = {a, b};
    int64_t shape[CT_MAX_DIMS];
    int nd = ku_broadcast(2, ab, shape, k->err);
    if (nd < 0) return -1;
    ct_tensor *ea = ct_expand(a, nd, shape, k->err);
    ct_tensor *eb = ea ? ct_expand(b, nd, shape, k->err) : NULL;
    ct_tensor *da = eb ? ku_to_dtype(ea, CT_FLOAT64, k->err) : NULL;
    ct_tensor *db = da ? ku_to_dtype(eb, CT_FLOAT64, k->err) : NULL;
    int rc = -1;
    if (db) {
        const double *x = ct_data(da), *y = ct_data(db);
        int64_t n = ct_numel(da);
        bool all = true, is_bool = a->dtype == CT_BOOL;
        for (int64_t i = 0; i < n && all; i++) {
            double u = x[i], v = y[i];
            bool close = u == v || (equal_nan && u != u && v != v);
            if (!close && !is_bool) {
                double diff = fabs(u - v);
                close = isfinite(diff) && diff <= atol + fabs(rtol * v);
            }
            all = close;
        }
        outs[0] = cv_bool(all);
        rc = 0;
    }
    ct_tensor_release(ea);
    ct_tensor_release(eb);
    ct_tensor_release(da);
    ct_tensor_release(db);
    return rc;
}

/* ---- topk ---- */

typedef struct topk_item {
    double v;
    int64_t i;
} topk_item;

/* NaN is the largest value, as in PyTorch; ties keep index order (PyTorch
 * leaves their order to std::partial_sort / nth_element). */
static int topk_desc(const void *pa, const void *pb) {
    const topk_item *a = pa, *b = pb;
    bool na = a->v != a->v, nb = b->v != b->v;
    if (na != nb) return na ? -1 : 1;
    if (!na && a->v != b->v) return a->v > b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}
static int topk_asc(const void *pa, const void *pb) {
    const topk_item *a = pa, *b = pb;
    bool na = a->v != a->v, nb = b->v != b->v;
    if (na != nb) return na ? 1 : -1;
    if (!na && a->v != b->v) return a->v < b->v ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int k_topk(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t kk, dim;
    bool largest, sorted;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &kk) || ku_int(&A, 2, &dim) || ku_bool(&A, 3, &largest) ||
        ku_bool(&A, 4, &sorted))
        return -1;
    (void)sorted; /* results always come sorted */
    if (self->dtype == CT_BOOL || self->dtype == CT_FLOAT16 || self->dtype == CT_BFLOAT16)
        return cts_err_set(k->err, "\"topk_cpu\" not implemented for '%s'", ku_dtype_tname(self->dtype));
    dim = ct_wrap_dim(dim, self->ndim, k->err);
    if (dim < 0) return -1;
    int64_t n = self->ndim ? self->sizes[dim] : 1;
    if (kk < 0 || kk > n) return cts_err_set(k->err, "selected index k out of range");
    bool mask[CT_MAX_DIMS] = {0};
    if (self->ndim) mask[dim] = true;
    ct_tensor *buf, *r;
    int64_t len;
    if (red_rows(k, self, mask, true, self->dtype, &buf, &r, &len)) return -1;
    ct_tensor_release(r);
    /* outputs: self's shape with sizes[dim] = k, filled row-major with dim
     * last, then permuted back */
    int64_t shp[CT_MAX_DIMS], perm[CT_MAX_DIMS], inv[CT_MAX_DIMS];
    int m = 0;
    for (int d = 0; d < self->ndim; d++)
        if (d != dim) {
            perm[m] = d;
            shp[m++] = self->sizes[d];
        }
    if (self->ndim) {
        perm[m] = dim;
        shp[m++] = kk;
    }
    for (int d = 0; d < m; d++) inv[perm[d]] = d;
    ct_tensor *vals = ct_tensor_empty(self->dtype, m, shp, k->err);
    ct_tensor *idx = vals ? ct_tensor_empty(CT_INT64, m, shp, k->err) : NULL;
    topk_item *items = idx ? malloc(sizeof *items * (size_t)(len ? len : 1)) : NULL;
    if (!items) {
        if (idx) cts_err_set(k->err, "out of memory");
        ct_tensor_release(vals);
        ct_tensor_release(idx);
        ct_tensor_release(buf);
        return -1;
    }
    int64_t nrows = len ? ct_numel(buf) / len : 0;
    const double *x = ct_data(buf);
    char *vo = ct_data(vals);
    int64_t *io = ct_data(idx);
    int esz = ct_dtype_size(self->dtype);
    bool is_float = ct_dtype_is_float(self->dtype);
    const int64_t *xi = NULL;
    ct_tensor *ibuf = NULL;
    if (!is_float) {
        /* integers beyond 2^53 need the exact values: sort an int64 copy */
        ct_tensor *p = ct_permute(self, self->ndim, perm, k->err);
        ibuf = p ? ku_to_dtype(p, CT_INT64, k->err) : NULL;
        ct_tensor_release(p);
        if (!ibuf) {
            free(items);
            ct_tensor_release(vals);
            ct_tensor_release(idx);
            ct_tensor_release(buf);
            return -1;
        }
        xi = ct_data(ibuf);
    }
    for (int64_t r0 = 0; r0 < nrows; r0++) {
        for (int64_t j = 0; j < len; j++) {
            items[j].v = x[r0 * len + j];
            items[j].i = j;
        }
        qsort(items, (size_t)len, sizeof *items, largest ? topk_desc : topk_asc);
        for (int64_t j = 0; j < kk; j++) {
            if (is_float) ct_store_f64(vo + (r0 * kk + j) * esz, self->dtype, items[j].v);
            else ct_store_i64(vo + (r0 * kk + j) * esz, self->dtype, xi[r0 * len + items[j].i]);
            io[r0 * kk + j] = items[j].i;
        }
    }
    free(items);
    ct_tensor_release(buf);
    ct_tensor_release(ibuf);
    ct_tensor *pv = ct_permute(vals, m, inv, k->err);
    ct_tensor *pi = pv ? ct_permute(idx, m, inv, k->err) : NULL;
    ct_tensor_release(vals);
    ct_tensor_release(idx);
    if (!pi) {
        ct_tensor_release(pv);
        return -1;
    }
    outs[0] = cv_tensor(pv);
    outs[1] = cv_tensor(pi);
    return 0;
}

/* ---- sort, argsort ---- */

typedef struct sort_item {
    double v;   /* floating dtypes */
    int64_t iv; /* integral and bool dtypes: the exact value */
    int64_t i;
} sort_item;

/* Floats: NaN is the largest value; ties keep index order (a stable sort;
 * PyTorch's unstable default agrees on rows of up to 16 elements, where
 * std::sort is an insertion sort). */
static int sort_cmp_f(const sort_item *a, const sort_item *b, int dir) {
    bool na = a->v != a->v, nb = b->v != b->v;
    if (na != nb) return na ? dir : -dir;
    if (!na && a->v != b->v) return a->v < b->v ? -dir : dir;
    return a->i < b->i ? -1 : a->i > b->i;
}
static int sort_cmp_i(const sort_item *a, const sort_item *b, int dir) {
    if (a->iv != b->iv) return a->iv < b->iv ? -dir : dir;
    return a->i < b->i ? -1 : a->i > b->i;
}
static int sort_asc_f(const void *a, const void *b) { return sort_cmp_f(a, b, 1); }
static int sort_desc_f(const void *a, const void *b) { return sort_cmp_f(a, b, -1); }
static int sort_asc_i(const void *a, const void *b) { return sort_cmp_i(a, b, 1); }
static int sort_desc_i(const void *a, const void *b) { return sort_cmp_i(a, b, -1); }

/* Sorts self along dim; stores values (unless !want_values) and int64
 * indices in outs[0..]. */
static int sort_impl(cts_kctx *k, ct_tensor *self, int64_t dim, bool descending, bool want_values, cv_value *outs) {
    dim = ct_wrap_dim(dim, self->ndim, k->err);
    if (dim < 0) return -1;
    int nd = self->ndim;
    /* work on a contiguous copy with dim moved last, then move it back */
    int64_t perm[CT_MAX_DIMS], inv[CT_MAX_DIMS];
    int m = 0;
    for (int d = 0; d < nd; d++)
        if (d != dim) perm[m++] = d;
    if (nd) perm[m++] = dim;
    for (int d = 0; d < m; d++) inv[perm[d]] = d;
    bool is_float = ct_dtype_is_float(self->dtype);
    ct_tensor *p = ct_permute(self, nd, perm, k->err);
    ct_tensor *vals = p ? ku_to_dtype(p, self->dtype, k->err) : NULL;
    ct_tensor *keys = vals ? ku_to_dtype(p, is_float ? CT_FLOAT64 : CT_INT64, k->err) : NULL;
    ct_tensor_release(p);
    ct_tensor *idx = keys ? ct_tensor_empty(CT_INT64, nd, vals->sizes, k->err) : NULL;
    int64_t len = nd ? self->sizes[dim] : 1, total = vals ? ct_numel(vals) : 0;
    sort_item *items = idx ? malloc(sizeof *items * (size_t)(len ? len : 1)) : NULL;
    ct_tensor *copy = items ? ct_tensor_empty(self->dtype, nd, vals->sizes, k->err) : NULL;
    if (!copy) {
        if (items == NULL && idx) cts_err_set(k->err, "out of memory");
        free(items);
        ct_tensor_release(vals);
        ct_tensor_release(keys);
        ct_tensor_release(idx);
        return -1;
    }
    int esz = ct_dtype_size(self->dtype);
    const char *src = ct_data(vals);
    char *dst = ct_data(copy);
    int64_t *io = ct_data(idx);
    int (*cmp)(const void *, const void *) =
        is_float ? (descending ? sort_desc_f : sort_asc_f) : (descending ? sort_desc_i : sort_asc_i);
    for (int64_t r0 = 0; len && r0 < total / len; r0++) {
        for (int64_t j = 0; j < len; j++) {
            if (is_float) items[j].v = ((const double *)ct_data(keys))[r0 * len + j];
            else items[j].iv = ((const int64_t *)ct_data(keys))[r0 * len + j];
            items[j].i = j;
        }
        qsort(items, (size_t)len, sizeof *items, cmp);
        for (int64_t j = 0; j < len; j++) {
            memcpy(dst + (r0 * len + j) * esz, src + (r0 * len + items[j].i) * esz, (size_t)esz);
            io[r0 * len + j] = items[j].i;
        }
    }
    free(items);
    ct_tensor_release(vals);
    ct_tensor_release(keys);
    ct_tensor *pv = want_values ? ct_permute(copy, m, inv, k->err) : NULL;
    ct_tensor *pi = (pv || !want_values) ? ct_permute(idx, m, inv, k->err) : NULL;
    ct_tensor_release(copy);
    ct_tensor_release(idx);
    if (!pi) {
        ct_tensor_release(pv);
        return -1;
    }
    if (want_values) {
        outs[0] = cv_tensor(pv);
        outs[1] = cv_tensor(pi);
    } else {
        outs[0] = cv_tensor(pi);
    }
    return 0;
}

/* sort / argsort (self, dim, descending) and their .stable overloads
 * (self, *, stable, dim, descending): cts's sort is always stable. */
static int sort_args(cts_kctx *k, const cv_value *args, int nargs, bool stable_form, bool want_values,
                     cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    bool stable = false, has_stable = true, desc;
    int d = stable_form ? 2 : 1;
    if (ku_tensor(&A, 0, &self) || (stable_form && ku_opt_bool(&A, 1, &stable, &has_stable)) ||
        ku_int(&A, d, &dim) || ku_bool(&A, d + 1, &desc))
        return -1;
    if (!has_stable) return cts_err_set(k->err, "sort(): c10::optional<bool> for stable has to have value.");
    return sort_impl(k, self, dim, desc, want_values, outs);
}
static int k_sort(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return sort_args(k, args, nargs, false, true, outs);
}
static int k_sort_stable(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return sort_args(k, args, nargs, true, true, outs);
}
static int k_argsort(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return sort_args(k, args, nargs, false, false, outs);
}
static int k_argsort_stable(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return sort_args(k, args, nargs, true, false, outs);
}

/* ---- equal ---- */

/* True when self and other have the same sizes and equal values after type
 * promotion (PyTorch 1.13's CPU equal does not compare dtypes; NaN != NaN). */
static int k_equal(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *a, *b;
    if (ku_tensor(&A, 0, &a) || ku_tensor(&A, 1, &b)) return -1;
    if (!ku_same_shape(a->ndim, a->sizes, b->ndim, b->sizes)) {
        outs[0] = cv_bool(false);
        return 0;
    }
    ct_dtype rt = ku_result_tt(a, b);
    bool is_float = ct_dtype_is_float(rt);
    ct_dtype wide = is_float ? CT_FLOAT64 : CT_INT64;
    /* through the promoted dtype first, so float32 rounding matches */
    ct_tensor *ra = ku_to_dtype(a, rt, k->err);
    ct_tensor *rb = ra ? ku_to_dtype(b, rt, k->err) : NULL;
    ct_tensor *wa = rb ? ku_to_dtype(ra, wide, k->err) : NULL;
    ct_tensor *wb = wa ? ku_to_dtype(rb, wide, k->err) : NULL;
    int rc = -1;
    if (wb) {
        int64_t n = ct_numel(wa);
        bool all = true;
        for (int64_t i = 0; i < n && all; i++)
            all = is_float ? ((const double *)ct_data(wa))[i] == ((const double *)ct_data(wb))[i]
                           : ((const int64_t *)ct_data(wa))[i] == ((const int64_t *)ct_data(wb))[i];
        outs[0] = cv_bool(all);
        rc = 0;
    }
    ct_tensor_release(ra);
    ct_tensor_release(rb);
    ct_tensor_release(wa);
    ct_tensor_release(wb);
    return rc;
}

/* ---- cumsum, count_nonzero, trace, isclose ---- */

/* cumsum along dim: integral and bool inputs give int64 unless dtype says
 * otherwise; floats accumulate in double (PyTorch's CPU acc_type) and each
 * partial sum is rounded to the result dtype. */
static int k_cumsum(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_opt_dtype(&A, 2, &dt)) return -1;
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    if (dt == CT_DTYPE_INVALID) dt = ct_dtype_is_float(self->dtype) ? self->dtype : CT_INT64;
    ct_tensor *src = ku_to_dtype(self, dt, k->err);
    if (!src) return -1;
    int64_t len = self->ndim ? self->sizes[dim] : 1, inner = 1, n = ct_numel(src);
    for (int d = (int)dim + 1; d < self->ndim; d++) inner *= self->sizes[d];
    int esz = ct_dtype_size(dt);
    char *p = ct_data(src);
    bool is_float = ct_dtype_is_float(dt);
    for (int64_t base = 0; len && base < n; base += len * inner)
        for (int64_t in = 0; in < inner; in++) {
            double fa = 0;
            uint64_t ia = 0;
            for (int64_t j = 0; j < len; j++) {
                char *e = p + (base + j * inner + in) * esz;
                if (is_float) {
                    fa += ct_load_f64(e, dt);
                    ct_store_f64(e, dt, fa);
                } else {
                    ia += (uint64_t)ct_load_i64(e, dt);
                    ct_store_i64(e, dt, (int64_t)ia);
                }
            }
        }
    return ku_ret(outs, src);
}

/* count_nonzero: (self != 0).sum(dims), int64 */
static int count_nonzero_impl(cts_kctx *k, ct_tensor *self, const int64_t *dims, int nd, cv_value *outs) {
    bool mask[CT_MAX_DIMS];
    if (dim_mask(k, self->ndim, dims, nd, mask)) return -1;
    ct_tensor *buf, *r;
    int64_t len;
    if (red_rows(k, self, mask, false, CT_INT64, &buf, &r, &len)) return -1;
    int64_t nrows = ct_numel(r);
    const double *x = ct_data(buf);
    int64_t *o = ct_data(r);
    for (int64_t i = 0; i < nrows; i++) {
        int64_t c = 0;
        for (int64_t j = 0; j < len; j++) c += x[i * len + j] != 0;
        o[i] = c;
    }
    ct_tensor_release(buf);
    return ku_ret(outs, r);
}
static int k_count_nonzero(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    bool has;
    if (ku_tensor(&A, 0, &self) || ku_opt_int(&A, 1, &dim, &has)) return -1;
    return count_nonzero_impl(k, self, &dim, has ? 1 : -1, outs);
}
static int k_count_nonzero_dims(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, dims, CT_MAX_DIMS, &nd)) return -1;
    return count_nonzero_impl(k, self, dims, nd ? nd : -1, outs);
}

/* trace: the sum of a matrix's diagonal; integral inputs sum to int64 */
static int k_trace(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    if (self->ndim != 2) return cts_err_set(k->err, "trace: expected a matrix, but got tensor with dim %d", self->ndim);
    if (self->dtype == CT_BOOL) return cts_err_set(k->err, "\"trace\" not implemented for 'Bool'");
    bool is_float = ct_dtype_is_float(self->dtype);
    ct_dtype rt = is_float ? self->dtype : CT_INT64;
    int64_t n = self->sizes[0] < self->sizes[1] ? self->sizes[0] : self->sizes[1];
    int esz = ct_dtype_size(self->dtype);
    const char *src = ct_data(self);
    double fa = 0;
    uint64_t ia = 0;
    for (int64_t i = 0; i < n; i++) {
        const char *e = src + i * (self->strides[0] + self->strides[1]) * esz;
        if (is_float) fa += ct_load_f64(e, self->dtype);
        else ia += (uint64_t)ct_load_i64(e, self->dtype);
    }
    ct_tensor *r = ct_tensor_empty(rt, 0, NULL, k->err);
    if (!r) return -1;
    if (is_float) ct_store_f64(ct_data(r), rt, fa);
    else ct_store_i64(ct_data(r), rt, (int64_t)ia);
    return ku_ret(outs, r);
}

/* isclose: |a - b| <= atol + rtol * |b| (finite), or a == b, or both NaN
 * with equal_nan; bool tensors compare for equality only */
static int k_isclose(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *a, *b;
    double rtol, atol;
    bool equal_nan;
    if (ku_tensor(&A, 0, &a) || ku_tensor(&A, 1, &b) || ku_float(&A, 2, &rtol) || ku_float(&A, 3, &atol) ||
        ku_bool(&A, 4, &equal_nan))
        return -1;
    if (a->dtype != b->dtype)
        return cts_err_set(k->err, "%s did not match %s", ku_dtype_tname(a->dtype), ku_dtype_tname(b->dtype));
    if (rtol < 0) return cts_err_set(k->err, "rtol must be greater than or equal to zero, but got %g", rtol);
    if (atol < 0) return cts_err_set(k->err, "atol must be greater than or equal to zero, but got %g", atol);
    ct_tensor *ab[2] = {a, b};
    int64_t shape[CT_MAX_DIMS];
    int nd = ku_broadcast(2, ab, shape, k->err);
    if (nd < 0) return -1;
    ct_tensor *ea = ct_expand(a, nd, shape, k->err);
    ct_tensor *eb = ea ? ct_expand(b, nd, shape, k->err) : NULL;
    ct_tensor *da = eb ? ku_to_dtype(ea, CT_FLOAT64, k->err) : NULL;
    ct_tensor *db = da ? ku_to_dtype(eb, CT_FLOAT64, k->err) : NULL;
    ct_tensor *r = db ? ct_tensor_empty(CT_BOOL, nd, shape, k->err) : NULL;
    if (r) {
        const double *x = ct_data(da), *y = ct_data(db);
        uint8_t *o = ct_data(r);
        int64_t n = ct_numel(r);
        bool is_bool = a->dtype == CT_BOOL;
        for (int64_t i = 0; i < n; i++) {
            double u = x[i], v = y[i];
            bool close = u == v || (equal_nan && u != u && v != v);
            if (!close && !is_bool) {
                double diff = fabs(u - v);
                close = isfinite(diff) && diff <= atol + fabs(rtol * v);
            }
            o[i] = close;
        }
    }
    ct_tensor_release(ea);
    ct_tensor_release(eb);
    ct_tensor_release(da);
    ct_tensor_release(db);
    return ku_ret(outs, r);
}

const cts_op_def cts_ops_reduce[] = {
    {"aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor", k_sum},
    {"aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", k_sum_dim},
    {"aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor", k_mean},
    {"aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", k_mean_dim},
    {"aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor", k_prod},
    {"aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", k_prod_dim},
    {"aten::amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", k_amax},
    {"aten::amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", k_amin},
    {"aten::max(Tensor self) -> Tensor", k_max},
    {"aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", k_max_dim},
    {"aten::min(Tensor self) -> Tensor", k_min},
    {"aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", k_min_dim},
    {"aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", k_argmax},
    {"aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", k_argmin},
    {"aten::any(Tensor self) -> Tensor", k_any},
    {"aten::all(Tensor self) -> Tensor", k_all},
    {"aten::any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor", k_any_dim},
    {"aten::all.dim(Tensor self, int dim, bool keepdim=False) -> Tensor", k_all_dim},
    {"aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", k_softmax},
    {"aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", k_log_softmax},
    {"aten::std(Tensor self, bool unbiased=True) -> Tensor", k_std},
    {"aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor", k_std_dim},
    {"aten::std.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False) -> Tensor", k_std_correction},
    {"aten::var(Tensor self, bool unbiased=True) -> Tensor", k_var},
    {"aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor", k_var_dim},
    {"aten::var.correction(Tensor self, int[1]? dim, *, int? correction, bool keepdim=False) -> Tensor", k_var_correction},
    {"aten::norm.Scalar(Tensor self, Scalar p=2) -> Tensor", k_norm},
    {"aten::norm.ScalarOpt_dim(Tensor self, Scalar? p, int[1] dim, bool keepdim=False) -> Tensor", k_norm_dim},
    {"aten::allclose(Tensor self, Tensor other, float rtol=1.0000000000000001e-05, float atol=1e-08, bool equal_nan=False) -> bool", k_allclose},
    {"aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)", k_sort},
    {"aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)", k_sort_stable},
    {"aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor", k_argsort},
    {"aten::argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor", k_argsort_stable},
    {"aten::equal(Tensor self, Tensor other) -> bool", k_equal},
    {"aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor", k_cumsum},
    {"aten::count_nonzero(Tensor self, int? dim=None) -> Tensor", k_count_nonzero},
    {"aten::count_nonzero.dim_IntList(Tensor self, int[] dim) -> Tensor", k_count_nonzero_dims},
    {"aten::trace(Tensor self) -> Tensor", k_trace},
    {"aten::isclose(Tensor self, Tensor other, float rtol=1.0000000000000001e-05, float atol=1e-08, bool equal_nan=False) -> Tensor", k_isclose},
    {"aten::topk(Tensor self, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)", k_topk},
};
const int cts_ops_reduce_count = (int)(sizeof cts_ops_reduce / sizeof cts_ops_reduce[0]);
