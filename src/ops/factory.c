/* factory.c - tensor creation: zeros, ones, full, empty, the *_like and
 * new_* variants, and arange.
 *
 * Options: `dtype` defaults to float32 (full: from the fill value; *_like and
 * new_*: the source's dtype); `layout` must be strided or None and `device`
 * cpu or None (kutil's ku_tensor_options).  Fill values go through PyTorch's
 * checked Scalar conversion ("value cannot be converted to type uint8_t
 * without overflow").  empty() returns zeros.
 *
 * arange reproduces PyTorch 1.13's CPU kernel bit for bit: it runs in the
 * accumulate type (double for float32/64, float for half/bfloat16, int64 for
 * integers) and in vector-width blocks whose first element is
 * start + step * i and whose lanes add k * step to it (the AVX2 build fuses
 * these into FMAs for double), with a scalar tail; so do we. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "kutil.h"

/* "Trying to create tensor with negative dimension -1: [2, -1]" */
static int check_size(cts_kctx *k, const int64_t *sizes, int n) {
    for (int i = 0; i < n; i++)
        if (sizes[i] < 0) {
            char buf[256];
            return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: %s",
                               (long long)sizes[i], ct_shape_str(n, sizes, buf, sizeof buf));
        }
    return 0;
}

/* New tensor of a memory format: -1/0/1 contiguous, 2 channels_last (4-d),
 * 3 channels_last_3d (5-d).  Zero-filled. */
static ct_tensor *new_tensor(cts_kctx *k, ct_dtype dt, int n, const int64_t *sizes, int memfmt) {
    if (check_size(k, sizes, n)) return NULL;
    if (memfmt == 2 || memfmt == 3) {
        int want = memfmt == 2 ? 4 : 5;
        if (n != want) {
            cts_err_set(k->err, "required rank %d tensor to use %s format", want,
                        memfmt == 2 ? "channels_last" : "channels_last_3d");
            return NULL;
        }
        ct_tensor *c = ct_tensor_zeros(dt, n, sizes, k->err);
        if (!c) return NULL;
        /* strides with channels innermost: N, C, spatial... */
        int64_t st[5], s = 1;
        st[1] = 1;
        s = sizes[1] > 1 ? sizes[1] : 1;
        for (int d = n - 1; d >= 2; d--) {
            st[d] = s;
            s *= sizes[d] > 1 ? sizes[d] : 1;
        }
        st[0] = s;
        ct_tensor *v = ct_tensor_from_storage(c->storage, dt, 0, n, sizes, st, k->err);
        ct_tensor_release(c);
        return v;
    }
    return ct_tensor_zeros(dt, n, sizes, k->err);
}

/* Fills t with s after PyTorch's checked conversion. */
static int fill_checked(cts_kctx *k, ct_tensor *t, const ku_scalar *s) {
    unsigned char tmp[8];
    if (ku_scalar_store_checked(tmp, t->dtype, s, k->err)) return -1;
    ku_fill(t, s);
    return 0;
}

enum { F_ZEROS, F_ONES, F_FULL, F_EMPTY };

/* zeros/ones/full/empty(size, [fill,] *, dtype, layout, device, pin_memory[, memory_format]) */
static int make(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t sizes[CT_MAX_DIMS];
    int n, opt = kind == F_FULL ? 2 : 1, memfmt = -1;
    ku_scalar v = ku_scalar_int(kind == F_ONES);
    ct_dtype dt;
    if (ku_int_list(&A, 0, sizes, CT_MAX_DIMS, &n)) return -1;
    if (kind == F_FULL && ku_scalar_arg(&A, 1, &v)) return -1;
    if (ku_tensor_options(&A, opt, &dt)) return -1;
    if (kind == F_EMPTY && ku_opt_memory_format(&A, opt + 4, &memfmt)) return -1;
    if (dt == CT_DTYPE_INVALID)
        dt = kind == F_FULL ? (v.kind == KU_BOOL ? CT_BOOL : v.kind == KU_INT ? CT_INT64 : CT_FLOAT32) : CT_FLOAT32;
    ct_tensor *t = new_tensor(k, dt, n, sizes, memfmt);
    if (!t) return -1;
    if ((kind == F_ONES || kind == F_FULL) && fill_checked(k, t, &v)) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, t);
}

static int k_zeros(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make(k, args, nargs, F_ZEROS, outs);
}
static int k_ones(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make(k, args, nargs, F_ONES, outs);
}
static int k_full(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make(k, args, nargs, F_FULL, outs);
}
static int k_empty(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make(k, args, nargs, F_EMPTY, outs);
}

/* *_like(self, [fill,] *, dtype, layout, device, pin_memory, memory_format) */
static int make_like(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int opt = kind == F_FULL ? 2 : 1, memfmt;
    ku_scalar v = ku_scalar_int(kind == F_ONES);
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self)) return -1;
    if (kind == F_FULL && ku_scalar_arg(&A, 1, &v)) return -1;
    if (ku_tensor_options(&A, opt, &dt) || ku_opt_memory_format(&A, opt + 4, &memfmt)) return -1;
    if (dt == CT_DTYPE_INVALID) dt = self->dtype;
    ct_tensor *t = new_tensor(k, dt, self->ndim, self->sizes, memfmt);
    if (!t) return -1;
    if ((kind == F_ONES || kind == F_FULL) && fill_checked(k, t, &v)) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, t);
}

static int k_zeros_like(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_like(k, args, nargs, F_ZEROS, outs);
}
static int k_ones_like(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_like(k, args, nargs, F_ONES, outs);
}
static int k_full_like(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_like(k, args, nargs, F_FULL, outs);
}
static int k_empty_like(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_like(k, args, nargs, F_EMPTY, outs);
}

/* fill_(self, value) / zero_(self): every element of self (any strides);
 * fill(self, value): a new tensor like self.  A Tensor value must be 0-dim. */
static int fill_value(cts_kctx *k, const ku_args *A, int i, bool tensor_value, ku_scalar *v) {
    if (!tensor_value) return ku_scalar_arg(A, i, v);
    ct_tensor *t;
    if (ku_tensor(A, i, &t)) return -1;
    if (t->ndim != 0)
        return cts_err_set(k->err, "fill_ only supports 0-dimension value tensor but got tensor with %d dimensions.",
                           t->ndim);
    const void *p = ct_data(t);
    if (t->dtype == CT_BOOL) *v = ku_scalar_bool(*(const bool *)p);
    else if (ct_dtype_is_float(t->dtype)) *v = ku_scalar_float(ct_load_f64(p, t->dtype));
    else if (t->dtype == CT_COMPLEX64) return cts_err_set(k->err, "fill_: complex values are not supported by cts");
    else *v = ku_scalar_int(ct_load_i64(p, t->dtype));
    return 0;
}

static int fill_inplace(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ku_scalar v = ku_scalar_int(0);
    if (ku_tensor(&A, 0, &self)) return -1;
    if (kind != 0 && fill_value(k, &A, 1, kind == 2, &v)) return -1;
    if (ku_check_internal_overlap(self, k->err) || fill_checked(k, self, &v)) return -1;
    ct_storage_bump_version(self->storage);
    return ku_ret_self(outs, self);
}
static int k_zero_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return fill_inplace(k, args, nargs, 0, outs);
}
static int k_fill_scalar_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return fill_inplace(k, args, nargs, 1, outs);
}
static int k_fill_tensor_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return fill_inplace(k, args, nargs, 2, outs);
}

static int fill_new(cts_kctx *k, const cv_value *args, int nargs, bool tensor_value, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ku_scalar v;
    if (ku_tensor(&A, 0, &self) || fill_value(k, &A, 1, tensor_value, &v)) return -1;
    ct_tensor *t = new_tensor(k, self->dtype, self->ndim, self->sizes, -1);
    if (!t) return -1;
    if (fill_checked(k, t, &v)) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, t);
}
static int k_fill_scalar(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return fill_new(k, args, nargs, false, outs);
}
static int k_fill_tensor(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return fill_new(k, args, nargs, true, outs);
}

/* resize_(self, size): self becomes contiguous with the new shape, keeping
 * its storage when it is large enough (the elements it holds stay) and
 * getting a larger one, the old elements copied in, when not. */
static int k_resize_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t sizes[CT_MAX_DIMS];
    int n, memfmt = -1;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, sizes, CT_MAX_DIMS, &n) ||
        (nargs > 2 && ku_opt_memory_format(&A, 2, &memfmt)))
        return -1;
    if (memfmt > 0) return cts_err_set(k->err, "resize_: only the contiguous memory format is supported by cts");
    int64_t numel = 1;
    for (int i = 0; i < n; i++) {
        /* PyTorch multiplies the sizes as unsigned: a negative one overflows */
        if (sizes[i] < 0 || (sizes[i] && numel > INT64_MAX / sizes[i]))
            return cts_err_set(k->err, "numel: integer multiplication overflow");
        numel *= sizes[i];
    }
    size_t esz = ct_dtype_size(self->dtype);
    if ((uint64_t)numel > (SIZE_MAX - 64) / esz) return cts_err_set(k->err, "resize_: size too large");
    size_t need = (size_t)(self->offset + numel) * esz;
    if (need > self->storage->nbytes) {
        ct_storage *ns = ct_storage_new(need, true, k->err);
        if (!ns) return -1;
        memcpy(ns->data, self->storage->data, self->storage->nbytes);
        ct_storage_release(self->storage);
        self->storage = ns;
    }
    self->ndim = n;
    for (int i = 0; i < n; i++) self->sizes[i] = sizes[i];
    ct_contiguous_strides(n, self->sizes, self->strides);
    ct_storage_bump_version(self->storage);
    return ku_ret_self(outs, self);
}

/* new_*(self, size, [fill,] *, dtype, layout, device, pin_memory) */
static int make_new(cts_kctx *k, const cv_value *args, int nargs, int kind, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t sizes[CT_MAX_DIMS];
    int n, opt = kind == F_FULL ? 3 : 2;
    ku_scalar v = ku_scalar_int(kind == F_ONES);
    ct_dtype dt;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, sizes, CT_MAX_DIMS, &n)) return -1;
    if (kind == F_FULL && ku_scalar_arg(&A, 2, &v)) return -1;
    if (ku_tensor_options(&A, opt, &dt)) return -1;
    if (dt == CT_DTYPE_INVALID) dt = self->dtype;
    ct_tensor *t = new_tensor(k, dt, n, sizes, -1);
    if (!t) return -1;
    if ((kind == F_ONES || kind == F_FULL) && fill_checked(k, t, &v)) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, t);
}

static int k_new_zeros(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_new(k, args, nargs, F_ZEROS, outs);
}
static int k_new_ones(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_new(k, args, nargs, F_ONES, outs);
}
static int k_new_full(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_new(k, args, nargs, F_FULL, outs);
}
static int k_new_empty(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return make_new(k, args, nargs, F_EMPTY, outs);
}

/* ---- arange ---- */

/* ostream-style number for "unsupported range: 0 -> inf" */
static void num_str(double v, char *buf, size_t n) {
    if (isnan(v)) snprintf(buf, n, "nan");
    else if (isinf(v)) snprintf(buf, n, v > 0 ? "inf" : "-inf");
    else snprintf(buf, n, "%g", v);
}

static int arange_impl(cts_kctx *k, const ku_scalar *start, const ku_scalar *end, const ku_scalar *step, ct_dtype dt,
                       cv_value *outs) {
    cts_err *err = k->err;
    if (dt == CT_DTYPE_INVALID)
        dt = start->kind != KU_FLOAT && end->kind != KU_FLOAT && step->kind != KU_FLOAT ? CT_INT64 : CT_FLOAT32;
    if (dt == CT_BOOL) return cts_err_set(err, "\"arange_cpu\" not implemented for 'Bool'");
    bool is_int = ct_dtype_is_int(dt);
    /* the accumulate type: int64, float (half, bfloat16) or double */
    ct_dtype acc = is_int ? CT_INT64 : (dt == CT_FLOAT16 || dt == CT_BFLOAT16) ? CT_FLOAT32 : CT_FLOAT64;
    double fs, fe, fst;
    int64_t is, ie, ist;
    if (ku_scalar_as(start, acc, &fs, &is, err) || ku_scalar_as(end, acc, &fe, &ie, err) ||
        ku_scalar_as(step, acc, &fst, &ist, err))
        return -1;
    if (is_int ? ist == 0 : !(fst > 0 || fst < 0)) return cts_err_set(err, "step must be nonzero");
    if (!is_int && !(isfinite(fs) && isfinite(fe))) {
        char a[32], b[32];
        num_str(fs, a, sizeof a);
        num_str(fe, b, sizeof b);
        return cts_err_set(err, "unsupported range: %s -> %s", a, b);
    }
    bool ok = is_int ? ((ist > 0 && ie >= is) || (ist < 0 && ie <= is)) : ((fst > 0 && fe >= fs) || (fst < 0 && fe <= fs));
    if (!ok) return cts_err_set(err, "upper bound and larger bound inconsistent with step sign");
    double size_d;
    if (dt == CT_INT64)
        size_d = ceil((double)(int64_t)((uint64_t)ie - (uint64_t)is) / (double)ist);
    else
        size_d = ceil((end->f - start->f) / step->f);
    if (!(size_d >= 0 && size_d <= 9223372036854775807.0))
        return cts_err_set(err, "invalid size, possible overflow?");
    int64_t n = (int64_t)size_d;
    ct_tensor *t = ct_tensor_empty(dt, 1, &n, err);
    if (!t) return -1;
    char *p = ct_data(t);
    int esz = ct_dtype_size(dt);
    if (is_int) {
        for (int64_t i = 0; i < n; i++)
            ct_store_i64(p + i * esz, dt, (int64_t)((uint64_t)is + (uint64_t)ist * (uint64_t)i));
    } else if (dt == CT_FLOAT64 || dt == CT_FLOAT32) {
        /* vectors of 4 doubles / 8 floats, two per step, then a scalar tail */
        int w = dt == CT_FLOAT64 ? 4 : 8;
        int64_t main_end = n - n % (2 * w);
        for (int64_t i = 0; i < n; i++) {
            double v;
            if (i < main_end) {
                int64_t idx = i - i % w;
                double base = fma(fst, (double)idx, fs);
                if (dt == CT_FLOAT32) base = (float)base;
                v = fma((double)(i % w), fst, base);
            } else {
                v = fma(fst, (double)i, fs);
            }
            ct_store_f64(p + i * esz, dt, v);
        }
    } else {
        /* half / bfloat16: 16 lanes in float from a base rounded to the dtype */
        const int w = 16;
        int64_t main_end = n - n % (2 * w);
        float s = (float)fs, st = (float)fst;
        unsigned char tmp[2];
        for (int64_t i = 0; i < n; i++) {
            float v;
            if (i < main_end) {
                int64_t idx = i - i % w;
                ct_store_f64(tmp, dt, s + st * (float)idx);
                float base = (float)ct_load_f64(tmp, dt);
                v = base + (float)(i % w) * st;
            } else {
                v = s + st * (float)i;
            }
            ct_store_f64(p + i * esz, dt, v);
        }
    }
    return ku_ret(outs, t);
}

static int k_arange(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ku_scalar start = ku_scalar_int(0), end, step = ku_scalar_int(1);
    ct_dtype dt;
    if (ku_scalar_arg(&A, 0, &end) || ku_tensor_options(&A, 1, &dt)) return -1;
    return arange_impl(k, &start, &end, &step, dt, outs);
}

static int k_arange_start(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ku_scalar start, end, step = ku_scalar_int(1);
    ct_dtype dt;
    if (ku_scalar_arg(&A, 0, &start) || ku_scalar_arg(&A, 1, &end) || ku_tensor_options(&A, 2, &dt)) return -1;
    return arange_impl(k, &start, &end, &step, dt, outs);
}

static int k_arange_start_step(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ku_scalar start, end, step;
    ct_dtype dt;
    if (ku_scalar_arg(&A, 0, &start) || ku_scalar_arg(&A, 1, &end) || ku_scalar_arg(&A, 2, &step) ||
        ku_tensor_options(&A, 3, &dt))
        return -1;
    return arange_impl(k, &start, &end, &step, dt, outs);
}

/* ---- linspace, eye ---- */

/* PyTorch 1.13's CPU linspace: the first half counts up from start, the
 * second down from end (start + step * i, end - step * (steps - i - 1)),
 * step = (end - start) / (steps - 1) in the dtype (double for integers).
 * The vectorized kernel handles blocks of two 32-byte vectors whose lanes
 * add lane * step to the block's first value; the tail is scalar. */
static int k_linspace(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ku_scalar start, end;
    int64_t steps;
    ct_dtype dt;
    if (ku_scalar_arg(&A, 0, &start) || ku_scalar_arg(&A, 1, &end) || ku_int(&A, 2, &steps) ||
        ku_tensor_options(&A, 3, &dt))
        return -1;
    if (steps < 0) return cts_err_set(k->err, "number of steps must be non-negative");
    if (dt == CT_DTYPE_INVALID) dt = CT_FLOAT32;
    if (dt == CT_BOOL) return cts_err_set(k->err, "\"linspace_cpu\" not implemented for 'Bool'");
    double fs, fe;
    int64_t is, ie;
    if (ku_scalar_as(&start, dt, &fs, &is, k->err) || ku_scalar_as(&end, dt, &fe, &ie, k->err)) return -1;
    ct_tensor *t = ct_tensor_empty(dt, 1, &steps, k->err);
    if (!t) return -1;
    char *p = ct_data(t);
    int esz = ct_dtype_size(dt);
    if (steps == 1) {
        ct_store_f64(p, dt, fs);
        return ku_ret(outs, t);
    }
    int64_t half = steps / 2;
    int w = dt == CT_FLOAT16 || dt == CT_BFLOAT16 ? 16 : 32 / esz;
    int64_t main_end = steps - steps % (2 * w);
    if (dt == CT_FLOAT32) {
        float s0 = (float)fs, e0 = (float)fe, st = (e0 - s0) / (float)(steps - 1);
        float *o = (float *)p;
        for (int64_t i = 0; i < steps; i++) {
            int64_t b = i < main_end ? i - i % w : i;
            float base = b < half ? fmaf(st, (float)b, s0) : fmaf(-st, (float)(steps - b - 1), e0);
            o[i] = base + (float)(i - b) * st;
        }
    } else if (ct_dtype_is_float(dt)) {
        /* double; half and bfloat16 through their float arithmetic */
        bool lowp = dt != CT_FLOAT64;
        double st = (fe - fs) / (double)(steps - 1);
        unsigned char tmp[8];
        if (lowp) {
            ct_store_f64(tmp, dt, (float)(fe - fs) / (float)(steps - 1));
            st = ct_load_f64(tmp, dt);
        }
        for (int64_t i = 0; i < steps; i++) {
            int64_t b = i < main_end ? i - i % w : i;
            double base = b < half ? fma(st, (double)b, fs) : fma(-st, (double)(steps - b - 1), fe);
            if (lowp) {
                ct_store_f64(tmp, dt, b < half ? (float)fs + (float)st * (float)b
                                               : (float)fe - (float)st * (float)(steps - b - 1));
                base = ct_load_f64(tmp, dt);
            }
            ct_store_f64(p + i * esz, dt, i == b || lowp ? base + (double)(i - b) * st : fma((double)(i - b), st, base));
        }
    } else {
        double st = ((double)ie - (double)is) / (double)(steps - 1);
        for (int64_t i = 0; i < steps; i++) {
            int64_t v;
            if (i < main_end) {
                int64_t b = i - i % w;
                int64_t base = (int64_t)(b < half ? (double)is + st * (double)b : (double)ie - st * (double)(steps - b - 1));
                v = (int64_t)((double)base + (double)(i % w) * st);
            } else {
                v = (int64_t)(i < half ? (double)is + st * (double)i : (double)ie - st * (double)(steps - i - 1));
            }
            ct_store_i64(p + i * esz, dt, v);
        }
    }
    return ku_ret(outs, t);
}

static int eye_impl(cts_kctx *k, const cv_value *args, int nargs, int64_t n, int64_t m, int opt, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_dtype dt;
    if (ku_tensor_options(&A, opt, &dt)) return -1;
    if (n < 0) return cts_err_set(k->err, "n must be greater or equal to 0, got %lld", (long long)n);
    if (m < 0) return cts_err_set(k->err, "m must be greater or equal to 0, got %lld", (long long)m);
    if (dt == CT_DTYPE_INVALID) dt = CT_FLOAT32;
    int64_t sizes[2] = {n, m};
    ct_tensor *t = ct_tensor_zeros(dt, 2, sizes, k->err);
    if (!t) return -1;
    char *p = ct_data(t);
    int esz = ct_dtype_size(dt);
    for (int64_t i = 0; i < n && i < m; i++) ct_store_i64(p + (i * m + i) * esz, dt, 1);
    return ku_ret(outs, t);
}

static int k_eye(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t n;
    if (ku_int(&A, 0, &n)) return -1;
    return eye_impl(k, args, nargs, n, n, 1, outs);
}

static int k_eye_m(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t n, m;
    if (ku_int(&A, 0, &n) || ku_int(&A, 1, &m)) return -1;
    return eye_impl(k, args, nargs, n, m, 2, outs);
}

/* ---- tensor(data) ---- */

/* The TorchScript torch.tensor of register_special_ops.cpp: the value is
 * first stored in its initial type (float -> the default dtype float32,
 * int -> int64, bool -> bool) and then cast to `dtype` with C conversion
 * semantics, so tensor(0.1, dtype=torch.float64) holds float32's 0.1. */
static ct_tensor *tensor_cast(cts_kctx *k, ct_tensor *t, const cv_value *args, int nargs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_dtype dt;
    if (ku_opt_dtype(&A, 1, &dt) || ku_check_device(&A, 2)) {
        ct_tensor_release(t);
        return NULL;
    }
    if (dt == CT_DTYPE_INVALID || dt == t->dtype) return t;
    ct_tensor *c = ku_to_dtype(t, dt, k->err);
    ct_tensor_release(t);
    return c;
}

static int tensor_scalar(cts_kctx *k, const cv_value *args, int nargs, const ku_scalar *s, ct_dtype init,
                         cv_value *outs) {
    ct_tensor *t = ct_tensor_empty(init, 0, NULL, k->err);
    if (!t) return -1;
    ku_scalar_store(ct_data(t), init, s);
    return ku_ret(outs, tensor_cast(k, t, args, nargs));
}

static int k_tensor_float(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    double f;
    if (ku_float(&A, 0, &f)) return -1;
    ku_scalar s = ku_scalar_float(f);
    return tensor_scalar(k, args, nargs, &s, CT_FLOAT32, outs);
}
static int k_tensor_int(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t i;
    if (ku_int(&A, 0, &i)) return -1;
    ku_scalar s = ku_scalar_int(i);
    return tensor_scalar(k, args, nargs, &s, CT_INT64, outs);
}
static int k_tensor_bool(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    bool b;
    if (ku_bool(&A, 0, &b)) return -1;
    ku_scalar s = ku_scalar_bool(b);
    return tensor_scalar(k, args, nargs, &s, CT_BOOL, outs);
}

/* The leaf kind of a nested list: from its static element type, else from
 * its first leaf value.  TY__COUNT when neither says. */
static cts_type_kind list_leaf_kind(const cv_list *l) {
    const cts_type *ty = l->elem;
    while (ty && ty->kind == TY_LIST && ty->n == 1) ty = ty->elems[0];
    if (ty && (ty->kind == TY_INT || ty->kind == TY_FLOAT || ty->kind == TY_BOOL)) return ty->kind;
    while (l->len > 0) {
        cv_value v = l->items[0];
        if (v.tag == CV_LIST) {
            l = v.u.l;
            continue;
        }
        return v.tag == CV_INT ? TY_INT : v.tag == CV_FLOAT ? TY_FLOAT : v.tag == CV_BOOL ? TY_BOOL : TY__COUNT;
    }
    return TY__COUNT;
}

/* Stores the elements of l (depth d of the sizes) row-major at *pos. */
static int store_list(cts_kctx *k, const cv_list *l, int d, int nd, const int64_t *sizes, char *p, ct_dtype dt,
                      int64_t *pos) {
    if ((int64_t)l->len != sizes[d])
        return cts_err_set(k->err, "Expected sequence of length %lld at dim %d (got %lld)", (long long)sizes[d], d,
                           (long long)l->len);
    int esz = ct_dtype_size(dt);
    for (size_t i = 0; i < l->len; i++) {
        cv_value v = l->items[i];
        if (d + 1 < nd) {
            if (v.tag != CV_LIST) return cts_err_set(k->err, "tensor(): expected a list at dim %d, got %s", d + 1, cv_tag_name(v.tag));
            if (store_list(k, v.u.l, d + 1, nd, sizes, p, dt, pos)) return -1;
            continue;
        }
        ku_scalar s;
        if (v.tag == CV_INT) s = ku_scalar_int(v.u.i);
        else if (v.tag == CV_FLOAT) s = ku_scalar_float(v.u.f);
        else if (v.tag == CV_BOOL) s = ku_scalar_bool(v.u.b);
        else return cts_err_set(k->err, "tensor(): expected a number or bool, got %s", cv_tag_name(v.tag));
        ku_scalar_store(p + *pos * esz, dt, &s);
        (*pos)++;
    }
    return 0;
}

static int k_tensor_list(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    if (nargs < 1 || args[0].tag != CV_LIST)
        return cts_err_set(k->err, "argument 0: expected a list, got %s", nargs < 1 ? "nothing" : cv_tag_name(args[0].tag));
    const cv_list *l = args[0].u.l;
    cts_type_kind kind = list_leaf_kind(l);
    if (kind == TY__COUNT) return cts_err_set(k->err, "tensor(): the list must hold int, float or bool values");
    ct_dtype init = kind == TY_INT ? CT_INT64 : kind == TY_FLOAT ? CT_FLOAT32 : CT_BOOL;
    /* sizes from the first element at each depth */
    int64_t sizes[CT_MAX_DIMS];
    int nd = 0;
    for (const cv_list *c = l;;) {
        if (nd == CT_MAX_DIMS) return cts_err_set(k->err, "tensor(): more than %d dimensions", CT_MAX_DIMS);
        sizes[nd++] = (int64_t)c->len;
        if (c->len == 0 || c->items[0].tag != CV_LIST) break;
        c = c->items[0].u.l;
    }
    ct_tensor *t = ct_tensor_empty(init, nd, sizes, k->err);
    if (!t) return -1;
    int64_t pos = 0;
    if (store_list(k, l, 0, nd, sizes, ct_data(t), init, &pos)) {
        ct_tensor_release(t);
        return -1;
    }
    return ku_ret(outs, tensor_cast(k, t, args, nargs));
}

const cts_op_def cts_ops_factory[] = {
    {"aten::zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_zeros},
    {"aten::ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_ones},
    {"aten::full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_full},
    {"aten::empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_empty},
    {"aten::zero_(Tensor(a!) self) -> Tensor(a!)", k_zero_},
    {"aten::fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)", k_fill_scalar_},
    {"aten::fill_.Tensor(Tensor(a!) self, Tensor value) -> Tensor(a!)", k_fill_tensor_},
    {"aten::fill.Scalar(Tensor self, Scalar value) -> Tensor", k_fill_scalar},
    {"aten::fill.Tensor(Tensor self, Tensor value) -> Tensor", k_fill_tensor},
    {"aten::resize_(Tensor(a!) self, SymInt[] size, *, MemoryFormat? memory_format=None) -> Tensor(a!)", k_resize_},
    {"aten::zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_zeros_like},
    {"aten::ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_ones_like},
    {"aten::full_like(Tensor self, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_full_like},
    {"aten::empty_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, MemoryFormat? memory_format=None) -> Tensor", k_empty_like},
    {"aten::new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_new_zeros},
    {"aten::new_ones(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_new_ones},
    {"aten::new_full(Tensor self, SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_new_full},
    {"aten::new_empty(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_new_empty},
    {"aten::arange(Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_arange},
    {"aten::arange.start(Scalar start, Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_arange_start},
    {"aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_arange_start_step},
    {"aten::tensor.float(float t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor", k_tensor_float},
    {"aten::tensor.int(int t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor", k_tensor_int},
    {"aten::tensor.bool(bool t, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor", k_tensor_bool},
    {"aten::tensor(t[] data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor", k_tensor_list},
    {"aten::linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_linspace},
    {"aten::eye(int n, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_eye},
    {"aten::eye.m(int n, int m, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor", k_eye_m},
};
const int cts_ops_factory_count = (int)(sizeof cts_ops_factory / sizeof cts_ops_factory[0]);
