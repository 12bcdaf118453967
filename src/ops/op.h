/* op.h - the operator table: PyTorch schema strings bound to kernels.
 *
 * Each kernel family file (elementwise.c, linalg.c, conv.c, ...) defines a
 * const array of cts_op_def whose `schema` is PyTorch 1.13's exact schema
 * string (see ../shared/docs/schemas-torch-1.13.txt).  registry.c lists the
 * family tables; the compiler matches calls against all known schemas (the
 * generated schema list) and binds each matched schema to its kernel by
 * the `name.overload` key.  A matched schema without a kernel is a load-time
 * error naming it.
 *
 * Calling convention:
 *   - args: the call's arguments in schema order, every default filled in,
 *     borrowed (the kernel must not release them).  nargs is the schema's
 *     argument count, or the actual count for vararg schemas (`...`).
 *   - outs: the kernel stores one owned value per schema return (a
 *     TorchScript list for `Tensor[]` returns, etc.).  On error it stores
 *     nothing (or releases what it stored) and returns -1 with k->err set.
 *   - In-place and out= variants (`Tensor(a!)`) write into the argument
 *     tensor and return it with a new reference.
 *   - Value shapes: Tensor = CV_TENSOR; int/SymInt/ScalarType/Layout/
 *     MemoryFormat = CV_INT; float = CV_FLOAT; bool = CV_BOOL; Scalar = one
 *     of CV_INT/CV_FLOAT/CV_BOOL; T? = CV_NONE or T; int[] = CV_LIST of
 *     CV_INT; Tensor[] = CV_LIST of CV_TENSOR; Device = CV_DEVICE; str = CV_STR. */
#ifndef CTS_OPS_OP_H
#define CTS_OPS_OP_H

#include "../core/error.h"
#include "../value/value.h"

typedef struct cts_pool cts_pool;

/* Per-call kernel context. */
typedef struct cts_kctx {
    cts_err *err;
    cts_pool *pool;  /* thread pool for parallel loops; NULL = serial */
    void *frame;     /* cts_call_state of the running call (set by the interpreter), or NULL */
} cts_kctx;

/* State of one top-level call, shared by the functions it calls. */
typedef struct cts_call_state {
    bool grad_disabled; /* inside torch.no_grad() */
    struct cts_trace_frame *trace; /* the trace recording the running function (runtime/interp_trace.h), or NULL */
} cts_call_state;

typedef int (*cts_kernel_fn)(cts_kctx *k, const cv_value *args, int nargs, cv_value *outs);

/* Load-time preparation of a call site's weights (runtime/prepack.c): args
 * in schema order as known at load, a module's attributes and constants,
 * CV_UNINIT where only a call knows the value.  It makes derived data the
 * kernel will look up (packed weights in tensor.h's storage cache); it
 * cannot fail (whatever it does not make, the kernel makes or does without). */
typedef void (*cts_prepack_fn)(const cv_value *args, int nargs);

typedef struct cts_op_def {
    const char *schema;   /* exact PyTorch schema string */
    cts_kernel_fn fn;
} cts_op_def;

/* The prepack hook of the op(s) whose kernel is fn. */
typedef struct cts_prepack_def {
    cts_kernel_fn fn;
    cts_prepack_fn prepack;
} cts_prepack_def;

/* All kernels, in family order (registry.c): cts_op_at(0 .. cts_op_count()-1). */
int cts_op_count(void);
const cts_op_def *cts_op_at(int i);

/* Finds the kernel for "ns::name.overload" ("ns::name" for the empty
 * overload); NULL when cts has none.  Thread-safe, no allocation. */
cts_kernel_fn cts_op_find_kernel(const char *qualified_overload, const char **schema_out);

/* All prepack hooks (registry.c): cts_prepack_at(0 .. cts_prepack_count()-1). */
int cts_prepack_count(void);
const cts_prepack_def *cts_prepack_at(int i);

#endif
