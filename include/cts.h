/* cts.h - TorchScript in C: load PyTorch's TorchScript archives and run them.
 *
 * Tutorial: load a model saved with torch.jit.save, call forward on a tensor,
 * read the result, free everything.
 *
 *   #include <cts.h>
 *
 *   cts_error err;
 *   cts_module *m = cts_module_load("model.pt", NULL, &err);
 *   if (!m) { fprintf(stderr, "%s\n", err.message); return 1; }
 *
 *   int64_t shape[2] = {3, 4};
 *   float data[12] = {0};
 *   cts_value *x = cts_tensor_new(CTS_FLOAT32, 2, shape, data, &err);
 *
 *   cts_value *y = NULL;
 *   if (cts_module_forward(m, &x, 1, &y, &err)) { fprintf(stderr, "%s\n", err.message); }
 *   else if (cts_value_kind(y) == CTS_VALUE_TENSOR) {
 *       const float *out = cts_tensor_data(y);            // contiguous, row-major
 *       int64_t n = cts_tensor_numel(y);
 *       ...
 *   }
 *   cts_value_free(y);
 *   cts_value_free(x);
 *   cts_module_free(m);
 *
 * Rules:
 *   - Every fallible call returns 0 on success (or a non-NULL handle) and
 *     fills the caller's cts_error with one line naming the problem and the
 *     place; it never aborts on bad input.
 *   - Handles are owned by the caller and freed with the matching _free.
 *     Values returned by accessors (cts_tuple_get, ...) are new handles too.
 *   - A loaded module is immutable: any number of threads may call
 *     cts_module_forward / cts_module_call on it at once.
 *
 * See examples/run_model.c for a complete program. */
#ifndef CTS_H
#define CTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CTS_VERSION "0.1.0"

typedef struct cts_error {
    int code;             /* 0 = no error */
    char message[1024];
} cts_error;

typedef struct cts_module cts_module;
typedef struct cts_value cts_value;

/* Element types, numbered as PyTorch's ScalarType. */
typedef enum cts_dtype {
    CTS_UINT8 = 0,
    CTS_INT8 = 1,
    CTS_INT16 = 2,
    CTS_INT32 = 3,
    CTS_INT64 = 4,
    CTS_FLOAT16 = 5,
    CTS_FLOAT32 = 6,
    CTS_FLOAT64 = 7,
    CTS_BOOL = 11,
    CTS_BFLOAT16 = 15,
} cts_dtype;

typedef enum cts_kind {
    CTS_VALUE_NONE,
    CTS_VALUE_BOOL,
    CTS_VALUE_INT,
    CTS_VALUE_FLOAT,
    CTS_VALUE_STR,
    CTS_VALUE_TENSOR,
    CTS_VALUE_TUPLE,
    CTS_VALUE_LIST,
    CTS_VALUE_DICT,
    CTS_VALUE_OBJECT,
    CTS_VALUE_OTHER,
} cts_kind;

typedef struct cts_options {
    int threads;          /* intra-op threads; 0 = one per core */
    int copy_archive;     /* 1: read the archive file into memory (see cts_module_load) */
} cts_options;

/* ---- modules ---- */
/* Loads a TorchScript archive to run it.  The file is mapped, not copied:
 * the pages of weights that cts has folded or packed are given back, and
 * weights read in place come from the file.  Do not change the file in
 * place while the module is loaded (replace it by renaming a new file over
 * it, as cts_save and torch.jit.save's callers who write atomically do);
 * with opts->copy_archive the whole file is read into memory instead. */
cts_module *cts_module_load(const char *path, const cts_options *opts, cts_error *err);
cts_module *cts_module_load_buffer(const void *data, size_t len, const cts_options *opts, cts_error *err);
void cts_module_free(cts_module *m);
/* Writes the module as a TorchScript archive that torch.jit.load reads
 * (PyTorch's layout; code printed from the module's graphs).  Saving the
 * same module twice writes the same bytes. */
int cts_save(cts_module *m, const char *path, cts_error *err);
/* Calls forward / any method with positional arguments (borrowed);
 * *out receives a new value. */
int cts_module_forward(cts_module *m, cts_value *const *args, int nargs, cts_value **out, cts_error *err);
int cts_module_call(cts_module *m, const char *method, cts_value *const *args, int nargs, cts_value **out,
                    cts_error *err);

/* ---- values ---- */
cts_value *cts_tensor_new(cts_dtype dtype, int ndim, const int64_t *shape, const void *data, cts_error *err);
cts_value *cts_int_new(int64_t v);
cts_value *cts_float_new(double v);
cts_value *cts_bool_new(int v);
void cts_value_free(cts_value *v);
cts_kind cts_value_kind(const cts_value *v);

int cts_tensor_ndim(const cts_value *v);
const int64_t *cts_tensor_shape(const cts_value *v);
cts_dtype cts_tensor_dtype(const cts_value *v);
int64_t cts_tensor_numel(const cts_value *v);
/* Contiguous element data (the value is made contiguous if it was not). */
const void *cts_tensor_data(cts_value *v);

int64_t cts_value_int(const cts_value *v);
double cts_value_float(const cts_value *v);
int cts_value_bool(const cts_value *v);
const char *cts_value_str(const cts_value *v);
/* Tuples and lists: element count and a new handle for element i. */
size_t cts_value_len(const cts_value *v);
cts_value *cts_value_get(const cts_value *v, size_t i);

/* More values for operator arguments: List[int], None, and tuples (a traced
 * function returns several tensors as a tuple; the tuple holds its own
 * references to the items). */
cts_value *cts_int_list_new(const int64_t *values, size_t n);
cts_value *cts_none_new(void);
/* A list of ints, floats, bools or tensors (all one kind) from handles;
 * while tracing, items an operator returned (sizes) stay traced in it. */
cts_value *cts_list_new(cts_value *const *items, size_t n, cts_error *err);
cts_value *cts_tuple_new(cts_value *const *items, size_t n);

/* Large tensor buffers freed by calls are kept for the next calls (no
 * fresh pages to fault in): at most CTS_BLOCK_CACHE_MB megabytes (the
 * environment variable, read once; default 1024, 0 keeps none).  This frees
 * what is kept now, e.g. after freeing the last module; returns the bytes. */
size_t cts_trim_memory(void);

/* ---- operators ---- */
/* Calls a PyTorch operator by name, "ns::name.overload" ("aten::add.Tensor",
 * "aten::relu" for an operator without overload name; `cts ops` lists them),
 * with positional arguments in schema order (borrowed; omitted trailing
 * arguments take the schema's defaults).  *out receives the result, a tuple
 * for several.  Errors are PyTorch's messages for bad arguments. */
int cts_op_call(const char *op, cts_value *const *args, int nargs, cts_value **out, cts_error *err);

/* ---- tracing (torch.jit.trace of a C function) ---- */
/* The function traced: computes *out (a new value: a tensor, or a tuple of
 * tensors) from inputs through cts_op_call; returns 0, or -1 with err. */
typedef int (*cts_trace_fn)(void *ctx, cts_value *const *inputs, int ninputs, cts_value **out, cts_error *err);
/* Runs fn once on the example inputs (tensors, or tuples of tensors) and
 * returns a module whose forward replays the operators fn called, in order,
 * with control flow erased, as torch.jit.trace does: tensors fn did not get
 * from its inputs or from an operator become constants, as do ints and
 * floats (except those an operator returned, such as sizes: they stay that
 * operator's result, so the module follows other input shapes).  names:
 * the inputs' names in the graph (NULL: input0, input1, ...).  The module
 * is a `__torch__.PlaceholderModule`, as PyTorch names a traced function's;
 * cts_save writes it for torch.jit.load.  One trace at a time per
 * thread. */
cts_module *cts_trace(cts_trace_fn fn, void *ctx, cts_value *const *inputs, const char *const *names, int ninputs,
                      cts_error *err);

/* torch.jit.trace of a loaded module: runs method (NULL: "forward") on the
 * example inputs (tensors, or tuples of tensors) and returns a new module
 * whose methods record what ran: submodule calls stay calls of their own
 * traced methods, scripted functions stay calls with their control flow.
 * The result uses m's functions and tensors: free it before m. */
cts_module *cts_module_trace(cts_module *m, const char *method, cts_value *const *inputs, int ninputs,
                             cts_error *err);

/* Files written by torch.save / read by torch.load. */
cts_value *cts_value_load_file(const char *path, cts_error *err);
int cts_value_save_file(const cts_value *v, const char *path, cts_error *err);

#ifdef __cplusplus
}
#endif

#endif
