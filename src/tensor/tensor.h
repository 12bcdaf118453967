/* tensor.h - refcounted storages and strided tensors (views).
 *
 * A ct_storage owns (or borrows, through a release callback) a byte buffer.
 * A ct_tensor is a strided view: dtype, sizes, strides and an offset (in
 * elements) into a storage.  Both are refcounted with atomic counts so one
 * loaded model's weights serve any number of threads.  Tensors are immutable
 * in their metadata once shared; kernels write into tensors they created or
 * into in-place arguments as the schema allows.
 *
 * Ownership: *_new functions return a new reference; views take a new
 * reference on the storage.  Release with ct_tensor_release. */
#ifndef CTS_TENSOR_TENSOR_H
#define CTS_TENSOR_TENSOR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "dtype.h"

#define CT_MAX_DIMS 16

/* Derived-data cache of a storage (e.g. ops/gemm.c's packed weights): an
 * object computed from the storage's bytes, found by an opaque key that the
 * producer makes unique to the view and layout it derived from, and tagged
 * with the storage version it was computed at.
 *
 * Rules: entries are only added (lock-free, compare-and-swap on the list
 * head) and freed with the storage, so a found entry stays valid while the
 * caller holds a reference to the storage.  Writers of a storage bump its
 * version (the interpreter does so after every kernel that writes an
 * argument, `Tensor(a!)`); an entry of an older version is never returned,
 * so a weight written in place is derived again.  A storage holds at most
 * CT_AUX_MAX entries; past that, callers compute per use. */
#define CT_AUX_KEY 8
#define CT_AUX_MAX 8

typedef struct ct_storage_aux {
    struct ct_storage_aux *next;
    uint64_t key[CT_AUX_KEY];
    uint64_t version;
    void *data;
    void (*free_fn)(void *data);
} ct_storage_aux;

typedef struct ct_storage {
    atomic_long refcount;
    void *data;
    size_t nbytes;
    /* how to release data: NULL = free(data) */
    void (*release)(void *ctx, void *data);
    void *release_ctx;
    /* loaded with a module (parameter, buffer or constant; set by the
     * loader before any call): derived-data caches may keep copies of it */
    bool weight;
    _Atomic(ct_storage_aux *) aux; /* derived-data cache, newest first */
    atomic_uint_fast64_t version;  /* bumped by in-place writers */
} ct_storage;

typedef struct ct_tensor {
    atomic_long refcount;
    ct_storage *storage;
    int64_t offset;               /* in elements */
    ct_dtype dtype;
    int ndim;
    bool requires_grad;
    int64_t sizes[CT_MAX_DIMS];
    int64_t strides[CT_MAX_DIMS]; /* in elements */
} ct_tensor;

/* Storage of nbytes, 64-byte aligned, uninitialized (zeroed if zero). */
ct_storage *ct_storage_new(size_t nbytes, bool zero, cts_err *err);
/* Wraps memory owned elsewhere; release(ctx, data) runs at the last release. */
ct_storage *ct_storage_wrap(void *data, size_t nbytes, void (*release)(void *, void *), void *ctx,
                            cts_err *err);
void ct_storage_retain(ct_storage *s);
void ct_storage_release(ct_storage *s);

/* Marks s as written (after the write): cached derived data is recomputed. */
static inline void ct_storage_bump_version(ct_storage *s) {
    atomic_fetch_add_explicit(&s->version, 1, memory_order_release);
}
static inline uint64_t ct_storage_version(const ct_storage *s) {
    return atomic_load_explicit((atomic_uint_fast64_t *)&s->version, memory_order_acquire);
}
/* The cached object under key at `version`, or NULL. */
void *ct_storage_aux_find(ct_storage *s, const uint64_t key[CT_AUX_KEY], uint64_t version);
/* Caches data (computed at `version`) under key and returns the cached
 * object: data itself, or an equal-keyed one another thread added first
 * (then data is freed with free_fn).  Returns NULL when the cache is full
 * or out of memory; the caller then keeps data. */
void *ct_storage_aux_add(ct_storage *s, const uint64_t key[CT_AUX_KEY], uint64_t version, void *data,
                         void (*free_fn)(void *));

/* New contiguous tensor; sizes checked (non-negative, product fits). */
ct_tensor *ct_tensor_empty(ct_dtype dt, int ndim, const int64_t *sizes, cts_err *err);
ct_tensor *ct_tensor_zeros(ct_dtype dt, int ndim, const int64_t *sizes, cts_err *err);
/* View over a storage (retained); checks that the view stays in bounds. */
ct_tensor *ct_tensor_from_storage(ct_storage *s, ct_dtype dt, int64_t offset, int ndim,
                                  const int64_t *sizes, const int64_t *strides, cts_err *err);
/* 0-dim tensors holding one scalar. */
ct_tensor *ct_tensor_scalar_f64(ct_dtype dt, double v, cts_err *err);
ct_tensor *ct_tensor_scalar_i64(ct_dtype dt, int64_t v, cts_err *err);

static inline void ct_tensor_retain(ct_tensor *t) {
    atomic_fetch_add_explicit(&t->refcount, 1, memory_order_relaxed);
}
void ct_tensor_release(ct_tensor *t);

int64_t ct_numel(const ct_tensor *t);
bool ct_is_contiguous(const ct_tensor *t);
/* Pointer to element 0 of the view. */
static inline void *ct_data(const ct_tensor *t) {
    return (char *)t->storage->data + t->offset * ct_dtype_size(t->dtype);
}
void ct_contiguous_strides(int ndim, const int64_t *sizes, int64_t *strides);

/* Views (new tensor sharing the storage).  dims may be negative. */
ct_tensor *ct_view(ct_tensor *t, int ndim, const int64_t *sizes, cts_err *err); /* requires viewable strides */
ct_tensor *ct_reshape(ct_tensor *t, int ndim, const int64_t *sizes, cts_err *err); /* view or copy */
ct_tensor *ct_transpose(ct_tensor *t, int64_t d0, int64_t d1, cts_err *err);
ct_tensor *ct_permute(ct_tensor *t, int ndim, const int64_t *dims, cts_err *err);
ct_tensor *ct_select(ct_tensor *t, int64_t dim, int64_t index, cts_err *err);
ct_tensor *ct_slice(ct_tensor *t, int64_t dim, int64_t start, int64_t end, int64_t step, cts_err *err);
ct_tensor *ct_expand(ct_tensor *t, int ndim, const int64_t *sizes, cts_err *err);
ct_tensor *ct_unsqueeze(ct_tensor *t, int64_t dim, cts_err *err);
ct_tensor *ct_squeeze_dim(ct_tensor *t, int64_t dim, cts_err *err);
ct_tensor *ct_alias(ct_tensor *t, cts_err *err);
/* Contiguous tensor with the same values: t itself (retained) if already so. */
ct_tensor *ct_contiguous(ct_tensor *t, cts_err *err);
/* Copies src into dst elementwise (shapes equal; dtype converted). */
int ct_copy_into(ct_tensor *dst, const ct_tensor *src, cts_err *err);
/* New contiguous tensor with dtype dt and the values of t. */
ct_tensor *ct_to_dtype(ct_tensor *t, ct_dtype dt, cts_err *err);

/* Resolves a possibly negative dim against ndim (PyTorch's maybe_wrap_dim);
 * returns -1 and sets err when out of range. */
int64_t ct_wrap_dim(int64_t dim, int64_t ndim, cts_err *err);
/* Infers a -1 in a view/reshape shape; returns 0 or -1. */
int ct_infer_size(int64_t numel, int ndim, int64_t *sizes, cts_err *err);
/* Broadcast shape of two shapes; returns out ndim or -1. */
int ct_broadcast_shape(int na, const int64_t *a, int nb, const int64_t *b, int64_t *out, cts_err *err);
/* Formats "[2, 3]" into buf. */
const char *ct_shape_str(int ndim, const int64_t *sizes, char *buf, size_t n);

/* Element iteration over a strided view in row-major order. */
typedef struct ct_iter {
    int ndim;
    int64_t sizes[CT_MAX_DIMS], strides[CT_MAX_DIMS], idx[CT_MAX_DIMS];
    int64_t pos; /* element offset from ct_data */
} ct_iter;
void ct_iter_init(ct_iter *it, const ct_tensor *t);
/* Advances; returns false at the end. */
static inline bool ct_iter_next(ct_iter *it) {
    for (int d = it->ndim - 1; d >= 0; d--) {
        if (++it->idx[d] < it->sizes[d]) {
            it->pos += it->strides[d];
            return true;
        }
        it->pos -= it->strides[d] * (it->idx[d] - 1);
        it->idx[d] = 0;
    }
    return false;
}

#endif
