/* module.h - loaded TorchScript programs: a compilation unit and its root object.
 *
 * A module is loaded from an archive (import.c) or built from source; once
 * loaded it is immutable and may be called from any number of threads at
 * once (cts_module_call gives each call its own frame). */
#ifndef CTS_RUNTIME_MODULE_H
#define CTS_RUNTIME_MODULE_H

#include "../compiler/cu.h"
#include "../core/pool.h"
#include "../serialize/zip.h"
#include "interp.h"
#include "../passes/passes.h"

typedef struct cts_rt_module {
    cts_cu *cu;
    cv_value root;          /* the module object */
    int64_t version;        /* archive format version */
    char producer[64];      /* "PyTorch 1.x" / "PyTorch 2.x" (from the records present) */
    void *file;             /* archive bytes (code records point into decoded copies below) */
    size_t file_len;
    ct_storage *file_storage; /* when the bytes are a storage (cts_rt_load): stored tensor
                                 records are views into it, not copies (file is then NULL) */
    bool file_mapped;       /* file_storage is a private mapping of the archive (CTS_LOAD_RUN) */
    cts_zip *zip;
    char **texts;           /* decoded code/ records, owned */
    int ntexts, cap_texts;
    int nthreads;
    cts_pool *pool;
    bool no_optimize;       /* run methods as loaded (CTS_LOAD_RUN_UNOPTIMIZED) */
    ir_function **opt;      /* per root method (root class order): its optimized copy (optimize.c), or NULL */
} cts_rt_module;

typedef enum cts_load_mode {
    CTS_LOAD_RUN,     /* compile and lower every method: unknown ops are load errors */
    CTS_LOAD_RUN_UNOPTIMIZED, /* the same, without the execution copies of optimize.c */
    CTS_LOAD_INSPECT, /* parse and declare only (for info/graph/code on partial support) */
} cts_load_mode;

cts_rt_module *cts_rt_load(const char *path, cts_load_mode mode, cts_err *err);
/* The same, saying whether the file may be mapped (cts_rt_load maps it for
 * CTS_LOAD_RUN: cts_module_load's comment in cts.h). */
cts_rt_module *cts_rt_load_file(const char *path, cts_load_mode mode, bool map, cts_err *err);
cts_rt_module *cts_rt_load_buffer(const void *buf, size_t len, const char *name, cts_load_mode mode, cts_err *err);
void cts_rt_free(cts_rt_module *m);
/* Traces method(args) of src (trace_module.c): a new module whose methods
 * record what ran, submodule calls kept as calls of their traced methods,
 * free functions as calls.  The result refers to src's functions (those it
 * calls) and tensors: src must outlive it. */
cts_rt_module *cts_rt_trace(cts_rt_module *src, const char *method, const cv_value *args, int nargs, cts_pool *pool,
                            cts_err *err);

/* Lowers every method of the root module (unknown ops are errors), makes
 * their optimized copies (unless m->no_optimize) and packs the weights:
 * what CTS_LOAD_RUN does after reading an archive. */
int cts_rt_prepare(cts_rt_module *m, cts_err *err);

/* optimize.c: the passes on one graph of fn bound to the object self (the
 * pipeline cts_rt_optimize runs, without what other methods write: for
 * `cts graph --optimized`'s error messages);
 * the optimized copies of every root method (failures leave a method
 * unoptimized); the function to run for root method fn (its copy, or fn);
 * and their release (cts_rt_free calls it). */
int cts_rt_optimize_graph(ir_graph *g, cts_cu *cu, ir_function *fn, cv_value self, cts_err *err);
void cts_rt_optimize(cts_rt_module *m);
ir_function *cts_rt_runnable(const cts_rt_module *m, ir_function *fn);
void cts_rt_optimize_free(cts_rt_module *m);
/* Packs, now, the weights the module's code passes to ops with a prepack
 * hook (prepack.c); cts_rt_load does it for CTS_LOAD_RUN.  Never fails. */
void cts_rt_prepack(cts_rt_module *m);

/* Writes the module as a TorchScript archive PyTorch loads (save.c): to a
 * file (its root folder named after the file, as PyTorch names it) or to
 * memory (malloc'd, root folder `root`, "archive" when NULL). */
int cts_rt_save(cts_rt_module *m, const char *path, cts_err *err);
int cts_rt_save_mem(cts_rt_module *m, const char *root, uint8_t **out, size_t *len, cts_err *err);

/* While loading (nothing has written to the mapped archive yet): gives back
 * the pages of t's bytes when they lie in m's mapped archive; they come back
 * from the file if read again (import.c). */
void cts_rt_release_file_pages(cts_rt_module *m, const ct_tensor *t);

/* The method `name` of the root module (NULL with err when absent). */
ir_function *cts_rt_method(cts_rt_module *m, const char *name, cts_err *err);
/* Calls a method with positional args (borrowed, self excluded); arguments
 * are checked against the method's schema and defaults filled in. */
int cts_rt_call(cts_rt_module *m, const char *method, const cv_value *args, int nargs, cv_value *out, cts_err *err);

#endif
