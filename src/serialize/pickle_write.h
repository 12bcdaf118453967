/* pickle_write.h - the pickler: cv_values to pickle bytes.
 *
 * Two dialects:
 *
 * CTS_PICKLE_JIT writes exactly what PyTorch's C++ Pickler writes for
 * torch.jit.save (torchscript-format.md 2.1-2.5): protocol 2; every GLOBAL
 * once, then BINGET; strings memoized by value; devices by their string;
 * storages by identity; other heap values (tensors, lists, dicts, tuples,
 * objects) memoized only when shared (refcount > 1); List[int/float/bool/
 * Tensor] through torch.jit._pickle build_*list, other lists and all dicts
 * type-tagged with restore_type_tag; objects as GLOBAL, EMPTY_TUPLE, NEWOBJ,
 * state, BUILD (state = attribute dict in slot order, or the result of the
 * getstate hook); integers with LONG1 always 8 bytes.
 *
 * CTS_PICKLE_PYTHON writes what Python's pickle (protocol 2) writes for
 * torch.save of the same data, so PyTorch's torch.load returns plain
 * Python objects: lists and dicts untagged (EMPTY_LIST/APPENDS,
 * EMPTY_DICT/SETITEMS in batches of 1000), every container, string and
 * tensor memoized, LONG1 minimal.  Objects cannot be written in this
 * dialect.
 *
 * Tensors, both dialects: torch._utils._rebuild_tensor_v2(storage, offset,
 * sizes, strides, requires_grad, OrderedDict()) with the storage as a
 * persistent id ('storage', torch.<Dtype>Storage, key, 'cpu', numel).
 * Storages are numbered in first-reference order; storage i must be written
 * by the caller as the record with key "i" (data/i, constants/i), holding
 * its first nbytes bytes. */
#ifndef CTS_SERIALIZE_PICKLE_WRITE_H
#define CTS_SERIALIZE_PICKLE_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../tensor/tensor.h"
#include "../value/value.h"

typedef enum cts_pickle_dialect { CTS_PICKLE_JIT = 0, CTS_PICKLE_PYTHON = 1 } cts_pickle_dialect;

typedef struct cts_pickler_cfg {
    cts_pickle_dialect dialect;
    void *ctx;
    /* JIT dialect, objects: if obj's class has a valid __getstate__/
     * __setstate__ pair, set *state (new reference) to __getstate__(obj)
     * and return 1; return 0 to pickle the attribute dict; -1 on error.
     * NULL: always the attribute dict. */
    int (*getstate)(void *ctx, cv_value obj, cv_value *state, cts_err *err);
    size_t max_depth; /* 0: CTS_PICKLE_MAX_DEPTH */
} cts_pickler_cfg;

typedef struct cts_pickled_storage {
    ct_storage *storage; /* a reference owned by the result */
    ct_dtype dtype;      /* of the first tensor that referenced it */
    int64_t numel;       /* storage->nbytes / itemsize */
    size_t nbytes;       /* numel * itemsize: the record's length */
} cts_pickled_storage;

typedef struct cts_pickle_result {
    uint8_t *data;
    size_t len;
    cts_pickled_storage *storages;
    size_t nstorages;
} cts_pickle_result;

/* Pickles v (borrowed).  cfg may be NULL (JIT dialect, no hooks).  On
 * success *out owns its buffer and storage references. */
int cts_pickle(cv_value v, const cts_pickler_cfg *cfg, cts_pickle_result *out, cts_err *err);
void cts_pickle_result_free(cts_pickle_result *r);

#endif
