/* tensor.c - storages, tensors and views.
 *
 * Invariant: every tensor's view (offset, sizes, strides) lies inside its
 * storage; constructors from outside data check this, views derived from a
 * valid tensor keep it by construction. */
#include "tensor.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_cache.h"

#define STORAGE_ALIGN 64

static void release_block(void *ctx, void *data) { ct_block_put(data, (int)(intptr_t)ctx); }

ct_storage *ct_storage_new(size_t nbytes, bool zero, cts_err *err) {
    ct_storage *s = malloc(sizeof *s);
    if (!s) {
        cts_err_oom(err, "storage", sizeof *s);
        return NULL;
    }
    size_t alloc = (nbytes + STORAGE_ALIGN - 1) / STORAGE_ALIGN * STORAGE_ALIGN;
    if (alloc == 0) alloc = STORAGE_ALIGN;
    int cls;
    s->data = ct_scratch_alloc(alloc, &cls); /* large buffers through the block cache */
    if (!s->data) {
        free(s);
        cts_err_oom(err, "tensor data", nbytes);
        return NULL;
    }
    if (zero) memset(s->data, 0, alloc);
    atomic_init(&s->refcount, 1);
    s->nbytes = nbytes;
    s->release = cls >= 0 ? release_block : NULL;
    s->release_ctx = cls >= 0 ? (void *)(intptr_t)cls : NULL;
    s->weight = false;
    atomic_init(&s->aux, NULL);
    atomic_init(&s->version, 0);
    return s;
}

ct_storage *ct_storage_wrap(void *data, size_t nbytes, void (*release)(void *, void *), void *ctx,
                            cts_err *err) {
    ct_storage *s = malloc(sizeof *s);
    if (!s) {
        cts_err_oom(err, "storage", sizeof *s);
        return NULL;
    }
    atomic_init(&s->refcount, 1);
    s->data = data;
    s->nbytes = nbytes;
    s->release = release;
    s->release_ctx = ctx;
    s->weight = false;
    atomic_init(&s->aux, NULL);
    atomic_init(&s->version, 0);
    return s;
}

void ct_storage_retain(ct_storage *s) { atomic_fetch_add_explicit(&s->refcount, 1, memory_order_relaxed); }

void ct_storage_release(ct_storage *s) {
    if (!s) return;
    if (atomic_fetch_sub_explicit(&s->refcount, 1, memory_order_acq_rel) != 1) return;
    for (ct_storage_aux *a = atomic_load_explicit(&s->aux, memory_order_acquire), *next; a; a = next) {
        next = a->next;
        if (a->free_fn) a->free_fn(a->data);
        free(a);
    }
    if (s->release)
        s->release(s->release_ctx, s->data);
    else
        free(s->data);
    free(s);
}

static void *aux_scan(ct_storage_aux *a, const uint64_t *key, uint64_t version, int *n) {
    for (*n = 0; a; a = a->next, ++*n)
        if (a->version == version && !memcmp(a->key, key, sizeof a->key)) return a->data;
    return NULL;
}

void *ct_storage_aux_find(ct_storage *s, const uint64_t key[CT_AUX_KEY], uint64_t version) {
    int n;
    return aux_scan(atomic_load_explicit(&s->aux, memory_order_acquire), key, version, &n);
}

void *ct_storage_aux_add(ct_storage *s, const uint64_t key[CT_AUX_KEY], uint64_t version, void *data,
                         void (*free_fn)(void *)) {
    ct_storage_aux *e = malloc(sizeof *e);
    if (!e) return NULL;
    memcpy(e->key, key, sizeof e->key);
    e->version = version;
    e->data = data;
    e->free_fn = free_fn;
    ct_storage_aux *head = atomic_load_explicit(&s->aux, memory_order_acquire);
    for (;;) {
        /* an equal entry already published wins; a full list takes no more */
        int n;
        void *found = aux_scan(head, key, version, &n);
        if (found || n >= CT_AUX_MAX) {
            free(e);
            if (found && free_fn) free_fn(data);
            return found;
        }
        e->next = head;
        if (atomic_compare_exchange_weak_explicit(&s->aux, &head, e, memory_order_acq_rel, memory_order_acquire))
            return data;
    }
}

void ct_tensor_release(ct_tensor *t) {
    if (!t) return;
    if (atomic_fetch_sub_explicit(&t->refcount, 1, memory_order_acq_rel) != 1) return;
    ct_storage_release(t->storage);
    free(t);
}

int64_t ct_numel(const ct_tensor *t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; i++) n *= t->sizes[i];
    return n;
}

void ct_contiguous_strides(int ndim, const int64_t *sizes, int64_t *strides) {
    int64_t s = 1;
    for (int i = ndim - 1; i >= 0; i--) {
        strides[i] = s;
        s *= sizes[i] > 1 ? sizes[i] : 1;
    }
}

bool ct_is_contiguous(const ct_tensor *t) {
    int64_t s = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->sizes[i] == 0) return true;
        if (t->sizes[i] != 1 && t->strides[i] != s) return false;
        s *= t->sizes[i];
    }
    return true;
}

static int check_sizes(int ndim, const int64_t *sizes, int64_t *numel, cts_err *err) {
    if (ndim < 0 || ndim > CT_MAX_DIMS)
        return cts_err_set(err, "tensor of %d dimensions: cts supports at most %d", ndim, CT_MAX_DIMS);
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (sizes[i] < 0) return cts_err_set(err, "negative dimension %lld", (long long)sizes[i]);
        if (sizes[i] && n > INT64_MAX / 16 / sizes[i])
            return cts_err_set(err, "tensor size overflows (dimension %d of %lld)", i, (long long)sizes[i]);
        n *= sizes[i];
    }
    *numel = n;
    return 0;
}

static ct_tensor *tensor_alloc(ct_storage *s, ct_dtype dt, cts_err *err) {
    ct_tensor *t = malloc(sizeof *t);
    if (!t) {
        cts_err_oom(err, "tensor", sizeof *t);
        return NULL;
    }
    atomic_init(&t->refcount, 1);
    t->storage = s;
    t->offset = 0;
    t->dtype = dt;
    t->ndim = 0;
    t->requires_grad = false;
    return t;
}

static ct_tensor *make_contig(ct_dtype dt, int ndim, const int64_t *sizes, bool zero, cts_err *err) {
    if (!ct_dtype_valid(dt)) {
        cts_err_set(err, "invalid dtype %d", (int)dt);
        return NULL;
    }
    int64_t n = 0;
    if (check_sizes(ndim, sizes, &n, err)) return NULL;
    ct_storage *s = ct_storage_new((size_t)n * (size_t)ct_dtype_size(dt), zero, err);
    if (!s) return NULL;
    ct_tensor *t = tensor_alloc(s, dt, err);
    if (!t) {
        ct_storage_release(s);
        return NULL;
    }
    t->ndim = ndim;
    if (ndim) memcpy(t->sizes, sizes, sizeof *sizes * (size_t)ndim);
    ct_contiguous_strides(ndim, sizes, t->strides);
    return t;
}

ct_tensor *ct_tensor_empty(ct_dtype dt, int ndim, const int64_t *sizes, cts_err *err) {
    return make_contig(dt, ndim, sizes, false, err);
}

ct_tensor *ct_tensor_zeros(ct_dtype dt, int ndim, const int64_t *sizes, cts_err *err) {
    return make_contig(dt, ndim, sizes, true, err);
}

ct_tensor *ct_tensor_from_storage(ct_storage *s, ct_dtype dt, int64_t offset, int ndim,
                                  const int64_t *sizes, const int64_t *strides, cts_err *err) {
    if (!ct_dtype_valid(dt)) {
        cts_err_set(err, "invalid dtype %d", (int)dt);
        return NULL;
    }
    int64_t n = 0;
    if (check_sizes(ndim, sizes, &n, err)) return NULL;
    if (offset < 0) {
        cts_err_set(err, "negative storage offset %lld", (long long)offset);
        return NULL;
    }
    /* extent of the view in elements */
    int64_t lo = offset, hi = offset;
    if (n > 0) {
        for (int i = 0; i < ndim; i++) {
            if (strides[i] < -(INT64_MAX / 4) || strides[i] > INT64_MAX / 4 / (sizes[i] ? sizes[i] : 1)) {
                cts_err_set(err, "stride %lld out of range", (long long)strides[i]);
                return NULL;
            }
            int64_t span = strides[i] * (sizes[i] - 1);
            if (span < 0) lo += span;
            else hi += span;
        }
        int64_t esz = ct_dtype_size(dt);
        if (lo < 0 || hi >= (int64_t)(s->nbytes / (size_t)esz)) {
            cts_err_set(err, "tensor view (offset %lld, last element %lld) lies outside its storage of %zu bytes",
                        (long long)offset, (long long)hi, s->nbytes);
            return NULL;
        }
    }
    ct_tensor *t = tensor_alloc(s, dt, err);
    if (!t) return NULL;
    ct_storage_retain(s);
    t->offset = offset;
    t->ndim = ndim;
    if (ndim) {
        memcpy(t->sizes, sizes, sizeof *sizes * (size_t)ndim);
        memcpy(t->strides, strides, sizeof *strides * (size_t)ndim);
    }
    return t;
}

ct_tensor *ct_tensor_scalar_f64(ct_dtype dt, double v, cts_err *err) {
    ct_tensor *t = ct_tensor_empty(dt, 0, NULL, err);
    if (t) ct_store_f64(ct_data(t), dt, v);
    return t;
}

ct_tensor *ct_tensor_scalar_i64(ct_dtype dt, int64_t v, cts_err *err) {
    ct_tensor *t = ct_tensor_empty(dt, 0, NULL, err);
    if (t) ct_store_i64(ct_data(t), dt, v);
    return t;
}

/* A view sharing t's storage with new metadata. */
static ct_tensor *view_of(ct_tensor *t, cts_err *err) {
    ct_tensor *v = tensor_alloc(t->storage, t->dtype, err);
    if (!v) return NULL;
    ct_storage_retain(t->storage);
    v->offset = t->offset;
    v->ndim = t->ndim;
    memcpy(v->sizes, t->sizes, sizeof v->sizes);
    memcpy(v->strides, t->strides, sizeof v->strides);
    v->requires_grad = t->requires_grad;
    return v;
}

ct_tensor *ct_alias(ct_tensor *t, cts_err *err) { return view_of(t, err); }

int64_t ct_wrap_dim(int64_t dim, int64_t ndim, cts_err *err) {
    int64_t n = ndim <= 0 ? 1 : ndim; /* scalars accept dims -1 and 0 */
    if (dim < -n || dim >= n) {
        cts_err_set(err, "Dimension out of range (expected to be in range of [%lld, %lld], but got %lld)",
                    (long long)-n, (long long)(n - 1), (long long)dim);
        return -1;
    }
    return dim < 0 ? dim + n : dim;
}

const char *ct_shape_str(int ndim, const int64_t *sizes, char *buf, size_t n) {
    size_t off = 0;
    off += (size_t)snprintf(buf + off, n - off, "[");
    for (int i = 0; i < ndim && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, i ? ", %lld" : "%lld", (long long)sizes[i]);
    if (off < n) snprintf(buf + off, n - off, "]");
    return buf;
}

int ct_infer_size(int64_t numel, int ndim, int64_t *sizes, cts_err *err) {
    int infer = -1;
    int64_t prod = 1;
    for (int i = 0; i < ndim; i++) {
        if (sizes[i] == -1) {
            if (infer >= 0) return cts_err_set(err, "only one dimension can be inferred");
            infer = i;
        } else if (sizes[i] < 0) {
            return cts_err_set(err, "invalid shape dimension %lld", (long long)sizes[i]);
        } else {
            if (sizes[i] && prod > INT64_MAX / sizes[i]) return cts_err_set(err, "shape overflows");
            prod *= sizes[i];
        }
    }
    char buf[256];
    if (infer >= 0) {
        if (prod == 0 && numel == 0)
            return cts_err_set(err, "cannot reshape tensor of 0 elements into shape %s because the unspecified "
                                    "dimension size -1 can be any value and is ambiguous",
                               ct_shape_str(ndim, sizes, buf, sizeof buf));
        if (prod == 0 || numel % prod != 0)
            return cts_err_set(err, "shape '%s' is invalid for input of size %lld",
                               ct_shape_str(ndim, sizes, buf, sizeof buf), (long long)numel);
        sizes[infer] = numel / prod;
    } else if (prod != numel) {
        return cts_err_set(err, "shape '%s' is invalid for input of size %lld",
                           ct_shape_str(ndim, sizes, buf, sizeof buf), (long long)numel);
    }
    return 0;
}

/* PyTorch's computeStride: strides for viewing t as sizes without a copy,
 * or false when the memory layout does not allow it. */
static bool compute_view_strides(const ct_tensor *t, int ndim, const int64_t *sizes, int64_t *out) {
    int64_t numel = ct_numel(t);
    if (numel == 0) {
        ct_contiguous_strides(ndim, sizes, out);
        return true;
    }
    if (t->ndim == 0) { /* a scalar views as any all-ones shape */
        for (int i = 0; i < ndim; i++) out[i] = 1;
        return true;
    }
    int view_d = ndim - 1;
    int64_t chunk_base_stride = t->ndim ? t->strides[t->ndim - 1] : 1;
    int64_t tensor_numel = 1, view_numel = 1;
    for (int td = t->ndim - 1; td >= 0; td--) {
        tensor_numel *= t->sizes[td];
        if (td == 0 || (t->sizes[td - 1] != 1 && t->strides[td - 1] != tensor_numel * chunk_base_stride)) {
            while (view_d >= 0 && (view_numel < tensor_numel || sizes[view_d] == 1)) {
                out[view_d] = view_numel * chunk_base_stride;
                view_numel *= sizes[view_d];
                view_d--;
            }
            if (view_numel != tensor_numel) return false;
            if (td > 0) {
                chunk_base_stride = t->strides[td - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    return view_d == -1;
}

ct_tensor *ct_view(ct_tensor *t, int ndim, const int64_t *sizes_in, cts_err *err) {
    int64_t sizes[CT_MAX_DIMS], strides[CT_MAX_DIMS];
    if (ndim > CT_MAX_DIMS) {
        cts_err_set(err, "view with %d dimensions: cts supports at most %d", ndim, CT_MAX_DIMS);
        return NULL;
    }
    memcpy(sizes, sizes_in, sizeof *sizes * (size_t)ndim);
    if (ct_infer_size(ct_numel(t), ndim, sizes, err)) return NULL;
    if (!compute_view_strides(t, ndim, sizes, strides)) {
        cts_err_set(err, "view size is not compatible with input tensor's size and stride (at least one "
                         "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        return NULL;
    }
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    v->ndim = ndim;
    memcpy(v->sizes, sizes, sizeof *sizes * (size_t)ndim);
    memcpy(v->strides, strides, sizeof *strides * (size_t)ndim);
    return v;
}

ct_tensor *ct_reshape(ct_tensor *t, int ndim, const int64_t *sizes_in, cts_err *err) {
    int64_t sizes[CT_MAX_DIMS], strides[CT_MAX_DIMS];
    if (ndim > CT_MAX_DIMS) {
        cts_err_set(err, "reshape with %d dimensions: cts supports at most %d", ndim, CT_MAX_DIMS);
        return NULL;
    }
    memcpy(sizes, sizes_in, sizeof *sizes * (size_t)ndim);
    if (ct_infer_size(ct_numel(t), ndim, sizes, err)) return NULL;
    if (compute_view_strides(t, ndim, sizes, strides)) return ct_view(t, ndim, sizes, err);
    ct_tensor *c = ct_contiguous(t, err);
    if (!c) return NULL;
    ct_tensor *v = ct_view(c, ndim, sizes, err);
    ct_tensor_release(c);
    return v;
}

ct_tensor *ct_transpose(ct_tensor *t, int64_t d0, int64_t d1, cts_err *err) {
    d0 = ct_wrap_dim(d0, t->ndim, err);
    if (d0 < 0) return NULL;
    d1 = ct_wrap_dim(d1, t->ndim, err);
    if (d1 < 0) return NULL;
    ct_tensor *v = view_of(t, err);
    if (!v || t->ndim == 0) return v;
    v->sizes[d0] = t->sizes[d1];
    v->sizes[d1] = t->sizes[d0];
    v->strides[d0] = t->strides[d1];
    v->strides[d1] = t->strides[d0];
    return v;
}

ct_tensor *ct_permute(ct_tensor *t, int ndim, const int64_t *dims, cts_err *err) {
    if (ndim != t->ndim) {
        cts_err_set(err, "permute(sparse_coo): number of dimensions in the tensor input does not match the "
                         "length of the desired ordering of dimensions i.e. input.dim() = %d is not equal to "
                         "len(dims) = %d",
                    t->ndim, ndim);
        return NULL;
    }
    bool seen[CT_MAX_DIMS] = {0};
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    for (int i = 0; i < ndim; i++) {
        int64_t d = ct_wrap_dim(dims[i], ndim, err);
        if (d < 0) goto fail;
        if (seen[d]) {
            cts_err_set(err, "permute(): duplicate dims are not allowed.");
            goto fail;
        }
        seen[d] = true;
        v->sizes[i] = t->sizes[d];
        v->strides[i] = t->strides[d];
    }
    return v;
fail:
    ct_tensor_release(v);
    return NULL;
}

ct_tensor *ct_select(ct_tensor *t, int64_t dim, int64_t index, cts_err *err) {
    if (t->ndim == 0) {
        cts_err_set(err, "select() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    dim = ct_wrap_dim(dim, t->ndim, err);
    if (dim < 0) return NULL;
    int64_t size = t->sizes[dim];
    if (index < -size || index >= size) {
        char buf[256];
        cts_err_set(err, "select(): index %lld out of range for tensor of size %s at dimension %lld",
                    (long long)index, ct_shape_str(t->ndim, t->sizes, buf, sizeof buf), (long long)dim);
        return NULL;
    }
    if (index < 0) index += size;
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    v->offset += index * t->strides[dim];
    for (int i = (int)dim; i < t->ndim - 1; i++) {
        v->sizes[i] = t->sizes[i + 1];
        v->strides[i] = t->strides[i + 1];
    }
    v->ndim--;
    return v;
}

ct_tensor *ct_slice(ct_tensor *t, int64_t dim, int64_t start, int64_t end, int64_t step, cts_err *err) {
    if (t->ndim == 0) {
        cts_err_set(err, "slice() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    dim = ct_wrap_dim(dim, t->ndim, err);
    if (dim < 0) return NULL;
    if (step <= 0) {
        cts_err_set(err, "slice step must be positive");
        return NULL;
    }
    int64_t size = t->sizes[dim];
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    else if (start > size) start = size;
    if (end < start) end = start;
    else if (end > size) end = size;
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    v->offset += start * t->strides[dim];
    v->sizes[dim] = (end - start + step - 1) / step;
    v->strides[dim] = t->strides[dim] * step;
    return v;
}

ct_tensor *ct_expand(ct_tensor *t, int ndim, const int64_t *sizes, cts_err *err) {
    if (ndim < t->ndim) {
        char a[256], b[256];
        cts_err_set(err, "expand(torch.%sTensor{%s}, size=%s): the number of sizes provided (%d) must be greater or "
                         "equal to the number of dimensions in the tensor (%d)",
                    ct_dtype_ir_name(t->dtype), ct_shape_str(t->ndim, t->sizes, a, sizeof a),
                    ct_shape_str(ndim, sizes, b, sizeof b), ndim, t->ndim);
        return NULL;
    }
    if (ndim > CT_MAX_DIMS) {
        cts_err_set(err, "expand to %d dimensions: cts supports at most %d", ndim, CT_MAX_DIMS);
        return NULL;
    }
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    int lead = ndim - t->ndim;
    for (int i = ndim - 1; i >= 0; i--) {
        int j = i - lead;
        int64_t want = sizes[i];
        if (j >= 0) {
            int64_t have = t->sizes[j];
            if (want == -1) want = have;
            if (have == want) {
                v->sizes[i] = have;
                v->strides[i] = t->strides[j];
            } else if (have == 1 && want >= 0) {
                v->sizes[i] = want;
                v->strides[i] = 0;
            } else {
                char a[256], b[256];
                cts_err_set(err, "The expanded size of the tensor (%lld) must match the existing size (%lld) at "
                                 "non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
                            (long long)want, (long long)have, i, ct_shape_str(ndim, sizes, a, sizeof a),
                            ct_shape_str(t->ndim, t->sizes, b, sizeof b));
                ct_tensor_release(v);
                return NULL;
            }
        } else {
            if (want < 0) {
                cts_err_set(err, "The expanded size of the tensor (%lld) isn't allowed in a leading, "
                                 "non-existing dimension %d",
                            (long long)want, i);
                ct_tensor_release(v);
                return NULL;
            }
            v->sizes[i] = want;
            v->strides[i] = 0;
        }
    }
    v->ndim = ndim;
    return v;
}

ct_tensor *ct_unsqueeze(ct_tensor *t, int64_t dim, cts_err *err) {
    dim = ct_wrap_dim(dim, t->ndim + 1, err);
    if (dim < 0) return NULL;
    if (t->ndim + 1 > CT_MAX_DIMS) {
        cts_err_set(err, "unsqueeze beyond %d dimensions", CT_MAX_DIMS);
        return NULL;
    }
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    for (int i = t->ndim; i > dim; i--) {
        v->sizes[i] = t->sizes[i - 1];
        v->strides[i] = t->strides[i - 1];
    }
    v->sizes[dim] = 1;
    v->strides[dim] = dim < t->ndim ? t->sizes[dim] * t->strides[dim] : 1;
    v->ndim = t->ndim + 1;
    return v;
}

ct_tensor *ct_squeeze_dim(ct_tensor *t, int64_t dim, cts_err *err) {
    dim = ct_wrap_dim(dim, t->ndim, err);
    if (dim < 0) return NULL;
    if (t->ndim == 0 || t->sizes[dim] != 1) return view_of(t, err);
    ct_tensor *v = view_of(t, err);
    if (!v) return NULL;
    for (int i = (int)dim; i < t->ndim - 1; i++) {
        v->sizes[i] = t->sizes[i + 1];
        v->strides[i] = t->strides[i + 1];
    }
    v->ndim--;
    return v;
}

void ct_iter_init(ct_iter *it, const ct_tensor *t) {
    it->ndim = t->ndim;
    memcpy(it->sizes, t->sizes, sizeof it->sizes);
    memcpy(it->strides, t->strides, sizeof it->strides);
    memset(it->idx, 0, sizeof it->idx);
    it->pos = 0;
}

int ct_copy_into(ct_tensor *dst, const ct_tensor *src, cts_err *err) {
    if (dst->ndim != src->ndim || memcmp(dst->sizes, src->sizes, sizeof *dst->sizes * (size_t)dst->ndim)) {
        char a[128], b[128];
        return cts_err_set(err, "copy: shape %s does not match %s", ct_shape_str(dst->ndim, dst->sizes, a, sizeof a),
                           ct_shape_str(src->ndim, src->sizes, b, sizeof b));
    }
    int64_t n = ct_numel(dst);
    if (n == 0) return 0;
    int ds = ct_dtype_size(dst->dtype), ss = ct_dtype_size(src->dtype);
    char *dp = ct_data(dst);
    const char *sp = ct_data(src);
    if (dst->dtype == src->dtype && ct_is_contiguous(dst) && ct_is_contiguous(src)) {
        memcpy(dp, sp, (size_t)n * (size_t)ds);
        return 0;
    }
    if (dst->dtype != src->dtype && ct_dtype_is_complex(src->dtype))
        return cts_err_set(err, "copy: converting a %s tensor to %s is not supported by cts",
                           ct_dtype_name(src->dtype), ct_dtype_name(dst->dtype));
    ct_iter di, si;
    ct_iter_init(&di, dst);
    ct_iter_init(&si, src);
    bool same = dst->dtype == src->dtype;
    bool to_complex = ct_dtype_is_complex(dst->dtype);
    bool f = ct_dtype_is_float(dst->dtype) || ct_dtype_is_float(src->dtype);
    do {
        void *d = dp + di.pos * ds;
        const void *s = sp + si.pos * ss;
        if (same) memcpy(d, s, (size_t)ds);
        else if (to_complex) ((float *)d)[0] = (float)ct_load_f64(s, src->dtype), ((float *)d)[1] = 0.0f;
        else if (f) ct_store_f64(d, dst->dtype, ct_load_f64(s, src->dtype));
        else ct_store_i64(d, dst->dtype, ct_load_i64(s, src->dtype));
        ct_iter_next(&si);
    } while (ct_iter_next(&di));
    return 0;
}

ct_tensor *ct_to_dtype(ct_tensor *t, ct_dtype dt, cts_err *err) {
    ct_tensor *o = ct_tensor_empty(dt, t->ndim, t->sizes, err);
    if (!o) return NULL;
    if (ct_copy_into(o, t, err)) {
        ct_tensor_release(o);
        return NULL;
    }
    return o;
}

ct_tensor *ct_contiguous(ct_tensor *t, cts_err *err) {
    if (ct_is_contiguous(t)) {
        ct_tensor_retain(t);
        return t;
    }
    return ct_to_dtype(t, t->dtype, err);
}

int ct_broadcast_shape(int na, const int64_t *a, int nb, const int64_t *b, int64_t *out, cts_err *err) {
    int n = na > nb ? na : nb;
    for (int i = 0; i < n; i++) {
        int ia = i - (n - na), ib = i - (n - nb);
        int64_t sa = ia >= 0 ? a[ia] : 1, sb = ib >= 0 ? b[ib] : 1;
        if (sa == sb || sb == 1) out[i] = sa;
        else if (sa == 1) out[i] = sb;
        else {
            cts_err_set(err, "The size of tensor a (%lld) must match the size of tensor b (%lld) at "
                             "non-singleton dimension %d",
                        (long long)sa, (long long)sb, i);
            return -1;
        }
    }
    return n;
}
