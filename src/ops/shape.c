/* shape.c - views and layout ops: view, reshape, flatten, transpose,
 * permute, select, slice, narrow, expand, squeeze/unsqueeze, size queries,
 * stride queries, cat, stack, chunk, split, unbind, repeat, flip, roll,
 * tril/triu, diag, nonzero, and the copies (to, clone,
 * contiguous, copy_, detach).
 *
 * Views share storage with their input (tensor.h's ct_view and friends); ops
 * that PyTorch documents as possibly-aliasing (reshape, contiguous, to,
 * flatten) return the input itself when no copy is needed.
 *
 * Memory formats: contiguous and channels_last(_3d) are honoured where asked
 * for explicitly; `preserve_format` (the default of clone, to and the *_like
 * factories) yields
 * a contiguous tensor, where PyTorch would keep a dense input's strides --
 * values agree, strides may differ. */
#include <stdlib.h>
#include <string.h>

#include "kutil.h"

/* ---- helpers ---- */

/* maybe_wrap_dim with wrap_scalar=false: "Dimension specified as 0 but
 * tensor has no dimensions" for a 0-dim tensor. */
static int64_t wrap_dim_noscalar(cts_kctx *k, int64_t dim, int ndim) {
    if (ndim == 0) {
        cts_err_set(k->err, "Dimension specified as %lld but tensor has no dimensions", (long long)dim);
        return -1;
    }
    return ct_wrap_dim(dim, ndim, k->err);
}

static int ret_list(cts_kctx *k, ct_tensor **ts, int64_t n, cv_value *outs) {
    cv_value l;
    int rc = cv_list_new(T_TENSOR, (size_t)n, &l, k->err);
    for (int64_t i = 0; i < n; i++) {
        if (rc == 0) rc = cv_list_push(l.u.l, cv_tensor(ts[i]), k->err);
        else ct_tensor_release(ts[i]);
    }
    if (rc) {
        if (l.tag == CV_LIST) cv_release(l);
        return -1;
    }
    outs[0] = l;
    return 0;
}

/* A copy of t with dtype dt in memory format fmt (-1/0/1: contiguous,
 * 2: channels_last, 3: channels_last_3d). */
static ct_tensor *copy_as(cts_kctx *k, ct_tensor *t, ct_dtype dt, int fmt) {
    if (fmt != 2 && fmt != 3) return ku_to_dtype(t, dt, k->err);
    int want = fmt == 2 ? 4 : 5;
    if (t->ndim != want) {
        cts_err_set(k->err, "required rank %d tensor to use %s format", want,
                    fmt == 2 ? "channels_last" : "channels_last_3d");
        return NULL;
    }
    int64_t st[5], s;
    st[1] = 1;
    s = t->sizes[1] > 1 ? t->sizes[1] : 1;
    for (int d = want - 1; d >= 2; d--) {
        st[d] = s;
        s *= t->sizes[d] > 1 ? t->sizes[d] : 1;
    }
    st[0] = s;
    ct_storage *sto = ct_storage_new((size_t)ct_numel(t) * (size_t)ct_dtype_size(dt), false, k->err);
    if (!sto) return NULL;
    ct_tensor *o = ct_tensor_from_storage(sto, dt, 0, want, t->sizes, st, k->err);
    ct_storage_release(sto);
    if (o && ku_copy(o, t, k->err)) {
        ct_tensor_release(o);
        return NULL;
    }
    return o;
}

/* Whether t already has memory format fmt (contiguous for -1/0/1). */
static bool has_format(const ct_tensor *t, int fmt) {
    if (fmt != 2 && fmt != 3) return ct_is_contiguous(t);
    int want = fmt == 2 ? 4 : 5;
    if (t->ndim != want) return false;
    int64_t s = 1;
    if (t->sizes[1] != 1 && t->strides[1] != s) return false;
    s *= t->sizes[1];
    for (int d = want - 1; d >= 2; d--) {
        if (t->sizes[d] != 1 && t->strides[d] != s) return false;
        s *= t->sizes[d];
    }
    return t->sizes[0] == 1 || t->strides[0] == s;
}

/* ---- views ---- */

static int k_view(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t sizes[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, sizes, CT_MAX_DIMS, &n)) return -1;
    return ku_ret(outs, ct_view(self, n, sizes, k->err));
}

static int k_reshape(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t sizes[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, sizes, CT_MAX_DIMS, &n)) return -1;
    return ku_ret(outs, ku_reshape(self, n, sizes, k->err));
}

static int k_view_as(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *other;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &other)) return -1;
    return ku_ret(outs, ct_view(self, other->ndim, other->sizes, k->err));
}

static int k_reshape_as(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *other;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &other)) return -1;
    return ku_ret(outs, ku_reshape(self, other->ndim, other->sizes, k->err));
}

static int k_flatten(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t s, e;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &s) || ku_int(&A, 2, &e)) return -1;
    if (self->ndim == 0) {
        int64_t one = 1;
        return ku_ret(outs, ku_reshape(self, 1, &one, k->err));
    }
    if ((s = ct_wrap_dim(s, self->ndim, k->err)) < 0 || (e = ct_wrap_dim(e, self->ndim, k->err)) < 0) return -1;
    if (s > e) return cts_err_set(k->err, "flatten() has invalid args: start_dim cannot come after end_dim");
    if (s == e) return ku_ret_self(outs, self);
    int64_t sizes[CT_MAX_DIMS], prod = 1;
    int n = 0;
    for (int d = 0; d < s; d++) sizes[n++] = self->sizes[d];
    for (int64_t d = s; d <= e; d++) prod *= self->sizes[d];
    sizes[n++] = prod;
    for (int d = (int)e + 1; d < self->ndim; d++) sizes[n++] = self->sizes[d];
    return ku_ret(outs, ku_reshape(self, n, sizes, k->err));
}

static int k_transpose(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t d0, d1;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &d0) || ku_int(&A, 2, &d1)) return -1;
    return ku_ret(outs, ct_transpose(self, d0, d1, k->err));
}

static int k_permute(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, dims, CT_MAX_DIMS, &n)) return -1;
    return ku_ret(outs, ct_permute(self, n, dims, k->err));
}

static int k_select(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim, index;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_int(&A, 2, &index)) return -1;
    return ku_ret(outs, ct_select(self, dim, index, k->err));
}

static int k_slice(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim, start = 0, end = INT64_MAX, step;
    bool has_s, has_e;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_opt_int(&A, 2, &start, &has_s) ||
        ku_opt_int(&A, 3, &end, &has_e) || ku_int(&A, 4, &step))
        return -1;
    if (!has_s) start = 0;
    if (!has_e) end = INT64_MAX;
    return ku_ret(outs, ct_slice(self, dim, start, end, step, k->err));
}

static int k_narrow(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim, start, length;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim) || ku_int(&A, 2, &start) || ku_int(&A, 3, &length)) return -1;
    if (self->ndim == 0) return cts_err_set(k->err, "narrow() cannot be applied to a 0-dim tensor.");
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    int64_t size = self->sizes[dim];
    if (start != size && (start = ct_wrap_dim(start, size, k->err)) < 0) return -1;
    if (length < 0 || start > size - length)
        return cts_err_set(k->err, "start (%lld) + length (%lld) exceeds dimension size (%lld).", (long long)start,
                           (long long)length, (long long)size);
    return ku_ret(outs, ct_slice(self, dim, start, start + length, 1, k->err));
}

static int k_expand(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t sizes[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, sizes, CT_MAX_DIMS, &n)) return -1;
    return ku_ret(outs, ct_expand(self, n, sizes, k->err));
}

static int k_expand_as(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *other;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &other)) return -1;
    return ku_ret(outs, ct_expand(self, other->ndim, other->sizes, k->err));
}

static int k_unsqueeze(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim)) return -1;
    return ku_ret(outs, ct_unsqueeze(self, dim, k->err));
}

static int k_squeeze(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    ct_tensor *v = ct_alias(self, k->err);
    if (!v) return -1;
    int n = 0;
    for (int d = 0; d < self->ndim; d++)
        if (self->sizes[d] != 1) {
            v->sizes[n] = self->sizes[d];
            v->strides[n] = self->strides[d];
            n++;
        }
    v->ndim = n;
    return ku_ret(outs, v);
}

static int k_squeeze_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim)) return -1;
    return ku_ret(outs, ct_squeeze_dim(self, dim, k->err));
}

/* unsqueeze_, squeeze_, squeeze_.dim: the view's sizes and strides become
 * self's own (every holder of self sees the new shape, as in PyTorch) */
static int view_inplace(cts_kctx *k, cts_kernel_fn view, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    cv_value tmp[1];
    if (view(k, args, nargs, tmp)) return -1;
    ct_tensor *v = tmp[0].u.t;
    self->ndim = v->ndim;
    memcpy(self->sizes, v->sizes, sizeof self->sizes);
    memcpy(self->strides, v->strides, sizeof self->strides);
    ct_tensor_release(v);
    return ku_ret_self(outs, self);
}
static int k_unsqueeze_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return view_inplace(k, k_unsqueeze, args, nargs, outs);
}
static int k_squeeze_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return view_inplace(k, k_squeeze, args, nargs, outs);
}
static int k_squeeze_dim_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return view_inplace(k, k_squeeze_dim, args, nargs, outs);
}

static int k_detach(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    ct_tensor *v = ct_alias(self, k->err);
    if (v) v->requires_grad = false;
    return ku_ret(outs, v);
}

/* ---- queries ---- */

/* an int[] result of n values (sizes, strides, a broadcast shape) */
static int int_list(cts_kctx *k, int n, const int64_t *v, cv_value *outs) {
    cv_value l;
    if (cv_list_new(T_INT, (size_t)n, &l, k->err)) return -1;
    for (int i = 0; i < n; i++)
        if (cv_list_push(l.u.l, cv_int(v[i]), k->err)) {
            cv_release(l);
            return -1;
        }
    outs[0] = l;
    return 0;
}

static int k_size_int(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim)) return -1;
    if ((dim = wrap_dim_noscalar(k, dim, self->ndim)) < 0) return -1;
    outs[0] = cv_int(self->sizes[dim]);
    return 0;
}

static int k_size(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    return int_list(k, self->ndim, self->sizes, outs);
}

static int k_dim(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    outs[0] = cv_int(self->ndim);
    return 0;
}

static int k_numel(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    outs[0] = cv_int(ct_numel(self));
    return 0;
}

static int k_is_contiguous(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    outs[0] = cv_bool(ct_is_contiguous(self));
    return 0;
}

static int k_is_floating_point(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    outs[0] = cv_bool(ct_dtype_is_float(self->dtype));
    return 0;
}

/* ---- copies and conversions ---- */

static int k_contiguous(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t fmt;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &fmt)) return -1;
    if (fmt == 1) return cts_err_set(k->err, "preserve memory format is unsupported by the contiguous operator");
    if (fmt < 0 || fmt > 3) return cts_err_set(k->err, "unknown memory format %lld", (long long)fmt);
    if (has_format(self, (int)fmt)) return ku_ret_self(outs, self);
    return ku_ret(outs, copy_as(k, self, self->dtype, (int)fmt));
}

static int k_clone(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int fmt;
    if (ku_tensor(&A, 0, &self) || ku_opt_memory_format(&A, 1, &fmt)) return -1;
    return ku_ret(outs, copy_as(k, self, self->dtype, fmt));
}

/* The common tail of the `to` overloads: self when nothing changes. */
static int to_impl(cts_kctx *k, ct_tensor *self, ct_dtype dt, bool copy, int fmt, cv_value *outs) {
    if (dt == CT_DTYPE_INVALID) dt = self->dtype;
    bool fmt_ok = fmt == -1 || fmt == 1 || has_format(self, fmt);
    if (!copy && dt == self->dtype && fmt_ok) return ku_ret_self(outs, self);
    return ku_ret(outs, copy_as(k, self, dt, fmt == 1 ? -1 : fmt));
}

/* to.dtype(self, dtype, non_blocking, copy, memory_format) */
static int k_to_dtype(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    bool nb, copy;
    int fmt;
    if (ku_tensor(&A, 0, &self) || ku_dtype_arg(&A, 1, &dt) || ku_bool(&A, 2, &nb) || ku_bool(&A, 3, &copy) ||
        ku_opt_memory_format(&A, 4, &fmt))
        return -1;
    return to_impl(k, self, dt, copy, fmt, outs);
}

/* to.device(self, device, dtype, non_blocking, copy, memory_format) */
static int k_to_device(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    bool nb, copy;
    int fmt;
    if (ku_tensor(&A, 0, &self) || ku_check_device(&A, 1) || ku_dtype_arg(&A, 2, &dt) || ku_bool(&A, 3, &nb) ||
        ku_bool(&A, 4, &copy) || ku_opt_memory_format(&A, 5, &fmt))
        return -1;
    return to_impl(k, self, dt, copy, fmt, outs);
}

/* to.other(self, other, non_blocking, copy, memory_format) */
static int k_to_other(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *other;
    bool nb, copy;
    int fmt;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &other) || ku_bool(&A, 2, &nb) || ku_bool(&A, 3, &copy) ||
        ku_opt_memory_format(&A, 4, &fmt))
        return -1;
    return to_impl(k, self, other->dtype, copy, fmt, outs);
}

/* to.dtype_layout(self, *, dtype, layout, device, pin_memory, non_blocking, copy, memory_format) */
static int k_to_dtype_layout(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    bool nb, copy;
    int fmt;
    if (ku_tensor(&A, 0, &self) || ku_tensor_options(&A, 1, &dt) || ku_bool(&A, 5, &nb) || ku_bool(&A, 6, &copy) ||
        ku_opt_memory_format(&A, 7, &fmt))
        return -1;
    return to_impl(k, self, dt, copy, fmt, outs);
}

/* to.prim_Device(self, device?, dtype?, non_blocking, copy) */
static int k_to_prim_device(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    bool nb, copy;
    if (ku_tensor(&A, 0, &self) || ku_check_device(&A, 1) || ku_opt_dtype(&A, 2, &dt) || ku_bool(&A, 3, &nb) ||
        ku_bool(&A, 4, &copy))
        return -1;
    return to_impl(k, self, dt, copy, -1, outs);
}

/* to.prim_dtype(self, dtype?, non_blocking, copy) */
static int k_to_prim_dtype(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ct_dtype dt;
    bool nb, copy;
    if (ku_tensor(&A, 0, &self) || ku_opt_dtype(&A, 1, &dt) || ku_bool(&A, 2, &nb) || ku_bool(&A, 3, &copy)) return -1;
    return to_impl(k, self, dt, copy, -1, outs);
}

/* to.prim_other(self, non_blocking, copy) */
static int k_to_prim_other(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    bool nb, copy;
    if (ku_tensor(&A, 0, &self) || ku_bool(&A, 1, &nb) || ku_bool(&A, 2, &copy)) return -1;
    return to_impl(k, self, CT_DTYPE_INVALID, copy, -1, outs);
}

static int k_type_as(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *other;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &other)) return -1;
    return to_impl(k, self, other->dtype, false, -1, outs);
}

/* self.copy_(src): src broadcast to self's shape, converted to its dtype */
static int copy_into(cts_kctx *k, ct_tensor *self, ct_tensor *src) {
    ct_tensor *both[2] = {self, src};
    int64_t shape[CT_MAX_DIMS];
    int nd = ku_broadcast(2, both, shape, k->err);
    if (nd < 0 || ku_check_out_shape(self, nd, shape, k->err)) return -1;
    if (self == src) return 0;
    if (ku_check_internal_overlap(self, k->err) || ku_check_no_overlap(self, src, k->err)) return -1;
    /* a source PyTorch cannot classify (a strided view of the same storage)
     * is read completely before writing */
    if (src->storage == self->storage) {
        ct_tensor *from = ku_to_dtype(src, src->dtype, k->err);
        if (!from) return -1;
        int rc = ku_copy(self, from, k->err);
        ct_tensor_release(from);
        return rc;
    }
    return ku_copy(self, src, k->err);
}

static int k_copy_(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self, *src;
    if (ku_tensor(&A, 0, &self) || ku_tensor(&A, 1, &src)) return -1;
    if (copy_into(k, self, src)) return -1;
    return ku_ret_self(outs, self);
}

static int k_copy_scalar(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    ku_scalar v;
    if (ku_tensor(&A, 0, &self) || ku_scalar_arg(&A, 1, &v)) return -1;
    ku_fill(self, &v);
    return ku_ret_self(outs, self);
}

/* ---- joining ---- */

/* cat of n tensors along dim into a new tensor */
static ct_tensor *cat_impl(cts_kctx *k, ct_tensor *const *ts, int64_t n, int64_t dim) {
    cts_err *err = k->err;
    if (n == 0) {
        cts_err_set(err, "torch.cat(): expected a non-empty list of Tensors");
        return NULL;
    }
    ct_dtype dt = ts[0]->dtype; /* promoted over all tensors */
    const ct_tensor *ref = NULL; /* first tensor that is not a legacy empty [0] */
    for (int64_t i = 0; i < n; i++) {
        if (ts[i]->ndim == 0) {
            cts_err_set(err, "zero-dimensional tensor (at position %lld) cannot be concatenated", (long long)i);
            return NULL;
        }
        dt = ct_promote(dt, ts[i]->dtype);
        if (!ref && !(ts[i]->ndim == 1 && ts[i]->sizes[0] == 0)) ref = ts[i];
    }
    if (!ref) { /* all legacy empties */
        int64_t zero = 0;
        if (ct_wrap_dim(dim, 1, err) < 0) return NULL;
        return ct_tensor_empty(dt, 1, &zero, err);
    }
    if ((dim = ct_wrap_dim(dim, ref->ndim, err)) < 0) return NULL;
    int64_t sizes[CT_MAX_DIMS], total = 0;
    memcpy(sizes, ref->sizes, sizeof sizes);
    for (int64_t i = 0; i < n; i++) {
        const ct_tensor *t = ts[i];
        if (t->ndim == 1 && t->sizes[0] == 0) continue;
        if (t->ndim != ref->ndim) {
            cts_err_set(err, "Tensors must have same number of dimensions: got %d and %d", ref->ndim, t->ndim);
            return NULL;
        }
        for (int d = 0; d < t->ndim; d++)
            if (d != dim && t->sizes[d] != ref->sizes[d]) {
                cts_err_set(err,
                            "Sizes of tensors must match except in dimension %lld. Expected size %lld but got size "
                            "%lld for tensor number %lld in the list.",
                            (long long)dim, (long long)ref->sizes[d], (long long)t->sizes[d], (long long)i);
                return NULL;
            }
        total += t->sizes[dim];
    }
    sizes[dim] = total;
    ct_tensor *out = ct_tensor_empty(dt, ref->ndim, sizes, err);
    if (!out) return NULL;
    int64_t off = 0;
    for (int64_t i = 0; i < n; i++) {
        const ct_tensor *t = ts[i];
        if ((t->ndim == 1 && t->sizes[0] == 0) || t->sizes[dim] == 0) continue;
        ct_tensor *dst = ct_slice(out, dim, off, off + t->sizes[dim], 1, err);
        if (!dst || ku_copy(dst, t, err)) {
            ct_tensor_release(dst);
            ct_tensor_release(out);
            return NULL;
        }
        ct_tensor_release(dst);
        off += t->sizes[dim];
    }
    return out;
}

/* The tensors of a Tensor[] argument as a borrowed array (heap when long). */
typedef struct tlist {
    ct_tensor **t;
    ct_tensor *small[16];
    int64_t n;
} tlist;

static int tlist_get(const ku_args *A, int i, tlist *tl) {
    const cv_list *l;
    if (ku_tensor_list(A, i, &l)) return -1;
    tl->n = (int64_t)l->len;
    tl->t = tl->n <= 16 ? tl->small : malloc(sizeof *tl->t * (size_t)tl->n);
    if (!tl->t) return cts_err_oom(A->k->err, "tensor list", sizeof *tl->t * (size_t)tl->n);
    for (int64_t j = 0; j < tl->n; j++) tl->t[j] = l->items[j].u.t;
    return 0;
}

static void tlist_free(tlist *tl) {
    if (tl->t != tl->small) free(tl->t);
}

static int k_cat(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    tlist tl;
    int64_t dim;
    if (ku_int(&A, 1, &dim) || tlist_get(&A, 0, &tl)) return -1;
    ct_tensor *r = cat_impl(k, tl.t, tl.n, dim);
    tlist_free(&tl);
    return ku_ret(outs, r);
}

static int k_stack(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    tlist tl;
    int64_t dim;
    if (ku_int(&A, 1, &dim) || tlist_get(&A, 0, &tl)) return -1;
    ct_tensor *r = NULL;
    ct_tensor **us = NULL;
    if (tl.n == 0) {
        cts_err_set(k->err, "stack expects a non-empty TensorList");
        goto done;
    }
    if ((dim = ct_wrap_dim(dim, tl.t[0]->ndim + 1, k->err)) < 0) goto done;
    for (int64_t i = 1; i < tl.n; i++)
        if (!ku_same_shape(tl.t[i]->ndim, tl.t[i]->sizes, tl.t[0]->ndim, tl.t[0]->sizes)) {
            char a[256], b[256];
            cts_err_set(k->err, "stack expects each tensor to be equal size, but got %s at entry 0 and %s at entry %lld",
                        ct_shape_str(tl.t[0]->ndim, tl.t[0]->sizes, a, sizeof a),
                        ct_shape_str(tl.t[i]->ndim, tl.t[i]->sizes, b, sizeof b), (long long)i);
            goto done;
        }
    us = calloc((size_t)tl.n, sizeof *us);
    if (!us) {
        cts_err_oom(k->err, "stack", sizeof *us * (size_t)tl.n);
        goto done;
    }
    for (int64_t i = 0; i < tl.n; i++)
        if (!(us[i] = ct_unsqueeze(tl.t[i], dim, k->err))) goto done;
    r = cat_impl(k, us, tl.n, dim);
done:
    if (us)
        for (int64_t i = 0; i < tl.n; i++) ct_tensor_release(us[i]);
    free(us);
    tlist_free(&tl);
    return ku_ret(outs, r);
}

/* ---- splitting ---- */

/* Views of self along dim with the given lengths (all non-negative). */
static int split_views(cts_kctx *k, ct_tensor *self, int64_t dim, const int64_t *lens, int64_t n, cv_value *outs) {
    ct_tensor **parts = calloc(n ? (size_t)n : 1, sizeof *parts);
    if (!parts) return cts_err_oom(k->err, "split", sizeof *parts * (size_t)n);
    int64_t off = 0;
    for (int64_t i = 0; i < n; i++) {
        parts[i] = ct_slice(self, dim, off, off + lens[i], 1, k->err);
        if (!parts[i]) {
            for (int64_t j = 0; j < i; j++) ct_tensor_release(parts[j]);
            free(parts);
            return -1;
        }
        off += lens[i];
    }
    int rc = ret_list(k, parts, n, outs);
    free(parts);
    return rc;
}

static int split_even(cts_kctx *k, ct_tensor *self, int64_t split_size, int64_t dim, cv_value *outs) {
    if (self->ndim == 0) return cts_err_set(k->err, "split expects at least a 1-dimensional tensor");
    if (split_size < 0)
        return cts_err_set(k->err, "split expects split_size be non-negative, but got split_size=%lld",
                           (long long)split_size);
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    int64_t size = self->sizes[dim];
    if (split_size == 0 && size != 0)
        return cts_err_set(k->err, "split_size can only be 0 if dimension size is 0, but got dimension size of %lld",
                           (long long)size);
    int64_t n = 1;
    if (split_size != 0) n = (size + split_size - 1) / split_size > 1 ? (size + split_size - 1) / split_size : 1;
    int64_t *lens = malloc(sizeof *lens * (size_t)n);
    if (!lens) return cts_err_oom(k->err, "split", sizeof *lens * (size_t)n);
    for (int64_t i = 0; i < n; i++) lens[i] = i < n - 1 ? split_size : split_size - (split_size * n - size);
    int rc = split_views(k, self, dim, lens, n, outs);
    free(lens);
    return rc;
}

static int split_sizes(cts_kctx *k, ct_tensor *self, const int64_t *lens, int n, int64_t dim, cv_value *outs) {
    if (self->ndim == 0) return cts_err_set(k->err, "split expects at least a 1-dimensional tensor");
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    char buf[512];
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        if (lens[i] < 0)
            return cts_err_set(k->err,
                               "split_with_sizes expects split_sizes have only non-negative entries, but got "
                               "split_sizes=%s",
                               ct_shape_str(n, lens, buf, sizeof buf));
        sum += lens[i];
    }
    if (sum != self->sizes[dim])
        return cts_err_set(k->err,
                           "split_with_sizes expects split_sizes to sum exactly to %lld (input tensor's size at "
                           "dimension %lld), but got split_sizes=%s",
                           (long long)self->sizes[dim], (long long)dim, ct_shape_str(n, lens, buf, sizeof buf));
    return split_views(k, self, dim, lens, n, outs);
}

static int k_split(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t ss, dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &ss) || ku_int(&A, 2, &dim)) return -1;
    return split_even(k, self, ss, dim, outs);
}

#define KU_MAX_SPLITS 4096
static int k_split_sizes(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    int n;
    int64_t *lens = malloc(sizeof *lens * KU_MAX_SPLITS);
    if (!lens) return cts_err_oom(k->err, "split", sizeof *lens * KU_MAX_SPLITS);
    int rc = -1;
    if (!ku_tensor(&A, 0, &self) && !ku_int_list(&A, 1, lens, KU_MAX_SPLITS, &n) && !ku_int(&A, 2, &dim))
        rc = split_sizes(k, self, lens, n, dim, outs);
    free(lens);
    return rc;
}

static int k_chunk(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t chunks, dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &chunks) || ku_int(&A, 2, &dim)) return -1;
    if (self->ndim == 0) return cts_err_set(k->err, "chunk expects at least a 1-dimensional tensor");
    if (chunks <= 0)
        return cts_err_set(k->err, "chunk expects `chunks` to be greater than 0, got: %lld", (long long)chunks);
    if ((dim = ct_wrap_dim(dim, self->ndim, k->err)) < 0) return -1;
    int64_t size = self->sizes[dim];
    int64_t ss = (size + chunks - 1) / chunks;
    if (ss == 0 && size == 0) { /* keep the number of (empty) chunks */
        if (chunks > KU_MAX_SPLITS) return cts_err_set(k->err, "chunk: %lld chunks is too many", (long long)chunks);
        int64_t *lens = calloc((size_t)chunks, sizeof *lens);
        if (!lens) return cts_err_oom(k->err, "chunk", sizeof *lens * (size_t)chunks);
        int rc = split_views(k, self, dim, lens, chunks, outs);
        free(lens);
        return rc;
    }
    return split_even(k, self, ss, dim, outs);
}

static int k_unbind(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim)) return -1;
    if ((dim = wrap_dim_noscalar(k, dim, self->ndim)) < 0) return -1;
    int64_t n = self->sizes[dim];
    ct_tensor **parts = calloc(n ? (size_t)n : 1, sizeof *parts);
    if (!parts) return cts_err_oom(k->err, "unbind", sizeof *parts * (size_t)n);
    for (int64_t i = 0; i < n; i++)
        if (!(parts[i] = ct_select(self, dim, i, k->err))) {
            for (int64_t j = 0; j < i; j++) ct_tensor_release(parts[j]);
            free(parts);
            return -1;
        }
    int rc = ret_list(k, parts, n, outs);
    free(parts);
    return rc;
}

/* ---- repeat ---- */

static int k_repeat(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t reps[CT_MAX_DIMS];
    int n;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, reps, CT_MAX_DIMS, &n)) return -1;
    if (n < self->ndim)
        return cts_err_set(k->err, "Number of dimensions of repeat dims can not be smaller than number of dimensions "
                                   "of tensor");
    int64_t src_sizes[CT_MAX_DIMS], src_str[CT_MAX_DIMS], out_sizes[CT_MAX_DIMS];
    int lead = n - self->ndim;
    for (int d = 0; d < n; d++) {
        src_sizes[d] = d < lead ? 1 : self->sizes[d - lead];
        src_str[d] = d < lead ? 0 : self->strides[d - lead];
        out_sizes[d] = src_sizes[d] * reps[d];
    }
    for (int d = 0; d < n; d++)
        if (out_sizes[d] < 0 || reps[d] < 0) {
            char buf[256];
            int64_t neg = out_sizes[d] < 0 ? out_sizes[d] : reps[d];
            return cts_err_set(k->err, "Trying to create tensor with negative dimension %lld: %s", (long long)neg,
                               ct_shape_str(n, out_sizes, buf, sizeof buf));
        }
    if (2 * n > CT_MAX_DIMS)
        return cts_err_set(k->err, "repeat over %d dimensions: cts supports at most %d", n, CT_MAX_DIMS / 2);
    ct_tensor *out = ct_tensor_empty(self->dtype, n, out_sizes, k->err);
    if (!out) return -1;
    if (ct_numel(out) == 0) return ku_ret(outs, out);
    /* out viewed as [r0, s0, r1, s1, ...] <- self with stride 0 over each r */
    int64_t vs[CT_MAX_DIMS], ostr[CT_MAX_DIMS], istr[CT_MAX_DIMS];
    for (int d = 0; d < n; d++) {
        vs[2 * d] = reps[d];
        vs[2 * d + 1] = src_sizes[d];
        istr[2 * d] = 0;
        istr[2 * d + 1] = src_str[d];
    }
    ct_contiguous_strides(2 * n, vs, ostr);
    ct_tensor *ov = ct_tensor_from_storage(out->storage, out->dtype, 0, 2 * n, vs, ostr, k->err);
    ct_tensor *iv = ov ? ct_tensor_from_storage(self->storage, self->dtype, self->offset, 2 * n, vs, istr, k->err) : NULL;
    int rc = iv ? ku_copy(ov, iv, k->err) : -1;
    ct_tensor_release(ov);
    ct_tensor_release(iv);
    if (rc) {
        ct_tensor_release(out);
        return -1;
    }
    return ku_ret(outs, out);
}

/* ---- flip, broadcast_tensors, element_size ---- */

/* A contiguous copy of self with the listed dims reversed. */
static int k_flip(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dims[CT_MAX_DIMS];
    int nd;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, dims, CT_MAX_DIMS, &nd)) return -1;
    bool rev[CT_MAX_DIMS + 1] = {0};
    for (int i = 0; i < nd; i++) {
        int64_t d = ct_wrap_dim(dims[i], self->ndim, k->err);
        if (d < 0) return -1;
        if (rev[d]) return cts_err_set(k->err, "dim %lld appears multiple times in the list of dims", (long long)d);
        rev[d] = true;
    }
    ct_tensor *out = ct_tensor_empty(self->dtype, self->ndim, self->sizes, k->err);
    if (!out) return -1;
    int64_t n = ct_numel(out), idx[CT_MAX_DIMS] = {0};
    int esz = ct_dtype_size(self->dtype);
    const char *src = ct_data(self);
    char *dst = ct_data(out);
    for (int64_t i = 0; i < n; i++) {
        int64_t off = 0;
        for (int d = 0; d < self->ndim; d++)
            off += (rev[d] ? self->sizes[d] - 1 - idx[d] : idx[d]) * self->strides[d];
        memcpy(dst + i * esz, src + off * esz, (size_t)esz);
        for (int d = self->ndim - 1; d >= 0; d--) {
            if (++idx[d] < self->sizes[d]) break;
            idx[d] = 0;
        }
    }
    return ku_ret(outs, out);
}

/* Views of every tensor expanded to their broadcast shape. */
static int k_broadcast_tensors(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    const cv_list *l;
    if (ku_tensor_list(&A, 0, &l)) return -1;
    int64_t n = (int64_t)l->len;
    ct_tensor **ts = calloc(n ? (size_t)n : 1, sizeof *ts);
    if (!ts) return cts_err_oom(k->err, "broadcast_tensors", sizeof *ts * (size_t)n);
    for (int64_t i = 0; i < n; i++) ts[i] = l->items[i].u.t;
    int64_t shape[CT_MAX_DIMS];
    int nd = n ? ku_broadcast((int)n, ts, shape, k->err) : 0;
    if (nd < 0) {
        free(ts);
        return -1;
    }
    for (int64_t i = 0; i < n; i++)
        if (!(ts[i] = ct_expand(l->items[i].u.t, nd, shape, k->err))) {
            for (int64_t j = 0; j < i; j++) ct_tensor_release(ts[j]);
            free(ts);
            return -1;
        }
    int rc = ret_list(k, ts, n, outs);
    free(ts);
    return rc;
}

static int k_element_size(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    outs[0] = cv_int(ct_dtype_size(self->dtype));
    return 0;
}

static int k_stride(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    return int_list(k, self->ndim, self->strides, outs);
}
static int k_stride_int(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t dim;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &dim)) return -1;
    if ((dim = wrap_dim_noscalar(k, dim, self->ndim)) < 0) return -1;
    outs[0] = cv_int(self->strides[dim]);
    return 0;
}

/* roll: element i of a rolled dim comes from (i - shift) mod size.  With
 * no dims the flattened tensor rolls (one shift only); shifts for the same
 * dim add up, as PyTorch's roll of a roll does. */
static int k_roll(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t shifts[CT_MAX_DIMS], dims[CT_MAX_DIMS];
    int ns, nd;
    if (ku_tensor(&A, 0, &self) || ku_int_list(&A, 1, shifts, CT_MAX_DIMS, &ns) ||
        ku_int_list(&A, 2, dims, CT_MAX_DIMS, &nd))
        return -1;
    if (ns == 0) return cts_err_set(k->err, "`shifts` required");
    if (!(nd == 0 && ns == 1) && ns != nd)
        return cts_err_set(k->err, "shifts and dimensions must align. shifts: %d, dims:%d", ns, nd);
    int64_t numel = ct_numel(self);
    if (nd == 0) { /* roll the flattened tensor */
        ct_tensor *c = ku_contiguous(self, k->err);
        if (!c) return -1;
        ct_tensor *out = ct_tensor_empty(self->dtype, self->ndim, self->sizes, k->err);
        if (!out) {
            ct_tensor_release(c);
            return -1;
        }
        if (numel) {
            int64_t sh = shifts[0] % numel;
            if (sh < 0) sh += numel;
            size_t esz = (size_t)ct_dtype_size(self->dtype);
            const char *src = ct_data(c);
            char *dst = ct_data(out);
            memcpy(dst + (size_t)sh * esz, src, (size_t)(numel - sh) * esz);
            memcpy(dst, src + (size_t)(numel - sh) * esz, (size_t)sh * esz);
        }
        ct_tensor_release(c);
        return ku_ret(outs, out);
    }
    int64_t shift[CT_MAX_DIMS] = {0};
    for (int i = 0; i < nd; i++) {
        int64_t d = ct_wrap_dim(dims[i], self->ndim, k->err);
        if (d < 0) return -1;
        if (self->ndim == 0) return cts_err_set(k->err, "dimension specified as %lld but tensor has no dimensions",
                                                (long long)dims[i]);
        int64_t size = self->sizes[d];
        if (size) {
            int64_t sh = shifts[i] % size;
            shift[d] = (shift[d] + (sh < 0 ? sh + size : sh)) % size;
        }
    }
    ct_tensor *out = ct_tensor_empty(self->dtype, self->ndim, self->sizes, k->err);
    if (!out) return -1;
    int64_t idx[CT_MAX_DIMS] = {0};
    int esz = ct_dtype_size(self->dtype);
    const char *src = ct_data(self);
    char *dst = ct_data(out);
    for (int64_t i = 0; i < numel; i++) {
        int64_t off = 0;
        for (int d = 0; d < self->ndim; d++) {
            int64_t j = idx[d] - shift[d];
            if (j < 0) j += self->sizes[d];
            off += j * self->strides[d];
        }
        memcpy(dst + i * esz, src + off * esz, (size_t)esz);
        for (int d = self->ndim - 1; d >= 0; d--) {
            if (++idx[d] < self->sizes[d]) break;
            idx[d] = 0;
        }
    }
    return ku_ret(outs, out);
}

/* ---- triangles, diagonals, nonzero ---- */

/* tril (lower) / triu: keep element (i, j) of each matrix when j - i <=
 * diagonal (tril) or j - i >= diagonal (triu), else 0 */
static int tri_impl(cts_kctx *k, const cv_value *args, int nargs, bool lower, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t diag;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &diag)) return -1;
    if (self->ndim < 2) return ct_wrap_dim(-2, self->ndim, k->err) < 0 ? -1 : cts_err_set(k->err, "tril/triu: need 2 dims");
    ct_tensor *out = ku_to_dtype(self, self->dtype, k->err);
    if (!out) return -1;
    int64_t rows = self->sizes[self->ndim - 2], cols = self->sizes[self->ndim - 1];
    int64_t n = ct_numel(out), mat = rows * cols;
    int esz = ct_dtype_size(self->dtype);
    char *o = ct_data(out);
    for (int64_t e = 0; e < n; e++) {
        int64_t i = (e % mat) / cols, j = e % cols;
        bool keep = lower ? j - i <= diag : j - i >= diag;
        if (!keep) memset(o + e * esz, 0, (size_t)esz);
    }
    return ku_ret(outs, out);
}
static int k_tril(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return tri_impl(k, args, nargs, true, outs);
}
static int k_triu(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    return tri_impl(k, args, nargs, false, outs);
}

/* diag: a vector becomes a square matrix with it on the given diagonal; a
 * matrix gives (a copy of) that diagonal */
static int k_diag(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    int64_t d;
    if (ku_tensor(&A, 0, &self) || ku_int(&A, 1, &d)) return -1;
    int esz = ct_dtype_size(self->dtype);
    const char *src = ct_data(self);
    if (self->ndim == 1) {
        int64_t n = self->sizes[0], m = n + (d < 0 ? -d : d);
        int64_t shape[2] = {m, m};
        ct_tensor *out = ct_tensor_zeros(self->dtype, 2, shape, k->err);
        if (!out) return -1;
        char *o = ct_data(out);
        for (int64_t i = 0; i < n; i++) {
            int64_t r = d >= 0 ? i : i - d, c = d >= 0 ? i + d : i;
            memcpy(o + (r * m + c) * esz, src + i * self->strides[0] * esz, (size_t)esz);
        }
        return ku_ret(outs, out);
    }
    if (self->ndim != 2) return cts_err_set(k->err, "matrix or a vector expected");
    int64_t rows = self->sizes[0], cols = self->sizes[1];
    int64_t len = d >= 0 ? (cols - d < rows ? cols - d : rows) : (rows + d < cols ? rows + d : cols);
    if (len < 0) return cts_err_set(k->err, "numel: integer multiplication overflow"); /* PyTorch 1.13's message */
    ct_tensor *out = ct_tensor_empty(self->dtype, 1, &len, k->err);
    if (!out) return -1;
    char *o = ct_data(out);
    for (int64_t i = 0; i < len; i++) {
        int64_t r = d >= 0 ? i : i - d, c = d >= 0 ? i + d : i;
        memcpy(o + i * esz, src + (r * self->strides[0] + c * self->strides[1]) * esz, (size_t)esz);
    }
    return ku_ret(outs, out);
}

/* nonzero: the int64 [count, ndim] coordinates of non-zero elements in
 * row-major order (NaN counts as non-zero) */
static int k_nonzero(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    ct_tensor *self;
    if (ku_tensor(&A, 0, &self)) return -1;
    ct_tensor *m = ku_to_dtype(self, CT_BOOL, k->err);
    if (!m) return -1;
    const uint8_t *mv = ct_data(m);
    int64_t n = ct_numel(m), nnz = 0;
    for (int64_t i = 0; i < n; i++) nnz += mv[i] != 0;
    int64_t shape[2] = {nnz, self->ndim};
    ct_tensor *out = ct_tensor_empty(CT_INT64, 2, shape, k->err);
    if (!out) {
        ct_tensor_release(m);
        return -1;
    }
    int64_t *o = ct_data(out), coord[CT_MAX_DIMS] = {0};
    for (int64_t i = 0; i < n; i++) {
        if (mv[i])
            for (int d = 0; d < self->ndim; d++) *o++ = coord[d];
        for (int d = self->ndim - 1; d >= 0; d--) {
            if (++coord[d] < self->sizes[d]) break;
            coord[d] = 0;
        }
    }
    ct_tensor_release(m);
    return ku_ret(outs, out);
}

/* _infer_size(a, b): the broadcast of two shapes */
static int k_infer_size(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs) {
    ku_args A = ku_args_of(k, args, nargs);
    int64_t a[CT_MAX_DIMS], b[CT_MAX_DIMS], r[CT_MAX_DIMS];
    int na, nb;
    if (ku_int_list(&A, 0, a, CT_MAX_DIMS, &na) || ku_int_list(&A, 1, b, CT_MAX_DIMS, &nb)) return -1;
    int n = na > nb ? na : nb;
    for (int i = n - 1; i >= 0; i--) {
        int ia = i - (n - na), ib = i - (n - nb);
        int64_t sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1)
            return cts_err_set(k->err,
                               "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton "
                               "dimension %d",
                               (long long)sa, (long long)sb, i);
        r[i] = sa == 1 ? sb : sa;
    }
    return int_list(k, n, r, outs);
}

const cts_op_def cts_ops_shape[] = {
    {"aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)", k_view},
    {"aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)", k_reshape},
    {"aten::view_as(Tensor(a) self, Tensor other) -> Tensor(a)", k_view_as},
    {"aten::reshape_as(Tensor(a) self, Tensor other) -> Tensor(a)", k_reshape_as},
    {"aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)", k_flatten},
    {"aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", k_transpose},
    {"aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)", k_permute},
    {"aten::select.int(Tensor(a) self, int dim, int index) -> Tensor(a)", k_select},
    {"aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)", k_slice},
    {"aten::narrow(Tensor(a) self, int dim, int start, int length) -> Tensor(a)", k_narrow},
    {"aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)", k_expand},
    {"aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", k_expand_as},
    {"aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", k_unsqueeze},
    {"aten::squeeze(Tensor(a) self) -> Tensor(a)", k_squeeze},
    {"aten::squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)", k_squeeze_dim},
    {"aten::unsqueeze_(Tensor(a!) self, int dim) -> Tensor(a!)", k_unsqueeze_},
    {"aten::squeeze_(Tensor(a!) self) -> Tensor(a!)", k_squeeze_},
    {"aten::squeeze_.dim(Tensor(a!) self, int dim) -> Tensor(a!)", k_squeeze_dim_},
    {"aten::detach(Tensor(a) self) -> Tensor(a)", k_detach},
    {"aten::size.int(Tensor self, int dim) -> int", k_size_int},
    {"aten::size(Tensor self) -> int[]", k_size},
    {"aten::dim(Tensor self) -> int", k_dim},
    {"aten::numel(Tensor self) -> int", k_numel},
    {"aten::is_contiguous(Tensor self) -> bool", k_is_contiguous},
    {"aten::is_floating_point(Tensor self) -> bool", k_is_floating_point},
    {"aten::contiguous(Tensor(a) self, *, MemoryFormat memory_format=0) -> Tensor(a)", k_contiguous},
    {"aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor", k_clone},
    {"aten::to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", k_to_dtype},
    {"aten::to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", k_to_device},
    {"aten::to.other(Tensor(a) self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", k_to_other},
    {"aten::to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)", k_to_dtype_layout},
    {"aten::to.prim_Device(Tensor(a) self, Device? device, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)", k_to_prim_device},
    {"aten::to.prim_dtype(Tensor(a) self, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)", k_to_prim_dtype},
    {"aten::to.prim_other(Tensor(a) self, bool non_blocking=False, bool copy=False) -> Tensor(b|a)", k_to_prim_other},
    {"aten::type_as(Tensor self, Tensor other) -> Tensor", k_type_as},
    {"aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)", k_copy_},
    {"aten::copy_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", k_copy_},
    {"aten::copy_.int(Tensor(a!) self, int other) -> Tensor(a!)", k_copy_scalar},
    {"aten::copy_.float(Tensor(a!) self, float other) -> Tensor(a!)", k_copy_scalar},
    {"aten::cat(Tensor[] tensors, int dim=0) -> Tensor", k_cat},
    {"aten::stack(Tensor[] tensors, int dim=0) -> Tensor", k_stack},
    {"aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]", k_chunk},
    {"aten::split.Tensor(Tensor(a -> *) self, int split_size, int dim=0) -> Tensor(a)[]", k_split},
    {"aten::split.sizes(Tensor(a -> *) self, int[] split_size, int dim=0) -> Tensor(a)[]", k_split_sizes},
    {"aten::split(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]", k_split_sizes},
    {"aten::split_with_sizes(Tensor(a -> *) self, int[] split_sizes, int dim=0) -> Tensor(a)[]", k_split_sizes},
    {"aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]", k_unbind},
    {"aten::repeat(Tensor self, SymInt[] repeats) -> Tensor", k_repeat},
    {"aten::flip(Tensor self, int[] dims) -> Tensor", k_flip},
    {"aten::broadcast_tensors(Tensor[] tensors) -> Tensor[]", k_broadcast_tensors},
    {"aten::element_size(Tensor self) -> int", k_element_size},
    {"aten::stride(Tensor self) -> int[]", k_stride},
    {"aten::stride.int(Tensor self, int dim) -> int", k_stride_int},
    {"aten::roll(Tensor self, int[1] shifts, int[1] dims=[]) -> Tensor", k_roll},
    {"aten::tril(Tensor self, int diagonal=0) -> Tensor", k_tril},
    {"aten::triu(Tensor self, int diagonal=0) -> Tensor", k_triu},
    {"aten::diag(Tensor self, int diagonal=0) -> Tensor", k_diag},
    {"aten::nonzero(Tensor self) -> Tensor", k_nonzero},
    {"aten::_infer_size(int[] a, int[] b) -> int[]", k_infer_size},
};
const int cts_ops_shape_count = (int)(sizeof cts_ops_shape / sizeof cts_ops_shape[0]);
