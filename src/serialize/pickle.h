/* pickle.h - the unpickler: pickle bytes to cv_values, executing nothing.
 *
 * Reads both dialects cts meets: the JIT pickle subset of TorchScript
 * archives (torchscript-format.md 2.1: protocol 2, type-tagged containers,
 * objects as GLOBAL/NEWOBJ/BUILD) and what Python's pickler writes for
 * torch.save (protocol 2, plus the harmless data opcodes of protocols 3-5:
 * SHORT_BINUNICODE, BINUNICODE8, MEMOIZE, FRAME, STACK_GLOBAL, LONG4).
 *
 * GLOBAL resolves only through an allow-list:
 *   torch._utils        _rebuild_tensor_v2, _rebuild_parameter, _rebuild_parameter_with_state
 *   torch.jit._pickle   build_intlist, build_doublelist, build_boollist, build_tensorlist, restore_type_tag
 *   collections         OrderedDict              (REDUCE gives an empty Dict[Any, Any])
 *   torch               <Name>Storage, dtypes (float32, ...), qschemes, layouts, memory
 *                       formats (each pushes its c10 enum integer, as the JIT does),
 *                       device, Size (-> tuple)
 *   __torch__[.*]       classes and enums, through cfg->resolve_class
 *   builtins            complex (REDUCE with (real, imag) gives a complex scalar)
 * Known but unsupported names (quantized/sparse tensors, tensor
 * tables, RRefs) fail with a message saying so; anything else fails with
 * "unpickler: unknown global 'os system' at byte 123".
 *
 * Tensors: a persistent id ('storage', <dtype>, key, location, numel) asks
 * cfg->load_storage for the storage of `key` (once per key: the unpickler
 * caches it, so tensors sharing a storage share it) and checks that it holds
 * numel * itemsize bytes.  Locations "cpu" and "cuda[:N]" are accepted; CUDA
 * storages are loaded on the CPU (what torch.load does with
 * map_location='cpu').  Tensors are then views made by
 * ct_tensor_from_storage, which checks offset, sizes and strides.
 *
 * Hostile input: every length is checked against the remaining bytes; the
 * memo is a sparse table; the stack, memo and container nesting are
 * bounded; containers may not be mutated once placed inside another value,
 * which rules out reference cycles. */
#ifndef CTS_SERIALIZE_PICKLE_H
#define CTS_SERIALIZE_PICKLE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../tensor/tensor.h"
#include "../value/type.h"
#include "../value/value.h"
#include "annotation.h"

#define CTS_PICKLE_MAX_DEPTH 1000
#define CTS_PICKLE_MAX_STACK ((size_t)1 << 24)
#define CTS_PICKLE_MAX_MEMO ((size_t)1 << 24)

typedef struct cts_unpickler_cfg {
    void *ctx; /* passed to every hook */

    /* Storage for a persistent id: a new reference to a storage holding at
     * least numel elements of the c10 ScalarType `scalar_type` (the archive
     * loader maps key to the record data/<key> or constants/<key>).  Called
     * once per key, never for numel == 0.  NULL (with err set) on failure.
     * Required if the pickle holds tensors. */
    ct_storage *(*load_storage)(void *ctx, const char *key, int scalar_type, int64_t numel, cts_err *err);

    /* The class named by GLOBAL '<module> <name>' with module "__torch__" or
     * "__torch__.<...>": a new reference to a TY_CLASS type (or a NamedTuple
     * type, for type tags).  NULL: such globals are errors. */
    cts_type *(*resolve_class)(void *ctx, const char *module, const char *name, cts_err *err);

    /* Object of class cls from its pickled state (borrowed), for
     * GLOBAL cls, EMPTY_TUPLE, NEWOBJ, state, BUILD.  *out gets a new
     * reference.  NULL: cts_unpickle_build_object. */
    int (*build_object)(void *ctx, cts_type *cls, cv_value state, cv_value *out, cts_err *err);

    /* Enum member for GLOBAL cls, value, REDUCE.  NULL: such pickles are errors. */
    int (*build_enum)(void *ctx, cts_type *cls, cv_value value, cv_value *out, cts_err *err);

    /* Type from a restore_type_tag annotation ("Dict[str, int]"): a new
     * reference.  NULL: cts_parse_annotation with resolve_class. */
    cts_type *(*parse_type)(void *ctx, const char *annot, cts_err *err);

    /* Limits; 0 selects the CTS_PICKLE_MAX_* default. */
    size_t max_depth, max_stack, max_memo;
} cts_unpickler_cfg;

/* Unpickles data[0..len) into *out (a new reference).  cfg may be NULL (no
 * tensors or classes then).  Errors read "unpickler: <what> at byte <N>";
 * callers prefix the record name. */
int cts_unpickle(const void *data, size_t len, const cts_unpickler_cfg *cfg, cv_value *out, cts_err *err);

/* The default build_object: cv_object_new(cls) with slot i set from
 * state[attribute name i]; state must be a dict with str keys; a declared
 * attribute missing from it is an error naming class and attribute; extra
 * keys are ignored. */
int cts_unpickle_build_object(void *ctx, cts_type *cls, cv_value state, cv_value *out, cts_err *err);

#endif
