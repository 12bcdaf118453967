/* printer.h - IR back to TorchScript source: PyTorch's python_print.
 *
 * Prints a compiled function or a class exactly as PyTorch 1.13 does, both
 * for the `.code` property and for an archive's code/ files:
 *
 *   cts_printer_ctx ctx;
 *   cts_printer_ctx_init(&ctx, cu);            // cu may be NULL
 *   cts_print_function_code(fn, true, &sb, &ctx, &err);   // module.code
 *   cts_printer_ctx_free(&ctx);
 *
 * The text depends only on the graph (node order, value debug names, types
 * and constants), so graphs built as PyTorch builds them print as PyTorch
 * prints them.  The rules (python_print.cpp) in brief: constants and
 * single-use unnamed temporaries that appear in evaluation order are
 * inlined into their use; other values get names made from their debug
 * names (`x.1` -> `x`, uniqued as `x0`, `x1`, unnamed ones `_0`, `_1`); an
 * inlined expression whose line would reach 40 columns is split into
 * temporaries without reordering; `aten::` calls print as `torch.X(...)`
 * without trailing arguments equal to their schema defaults.
 *
 * Shared state (cts_printer_ctx) is what one archive collects across all
 * its files: the CONSTANTS table (tensors, objects and strings with
 * non-ASCII bytes, written to constants.pkl and referenced as
 * `CONSTANTS.cN`) and the named types and functions the code refers to,
 * in first-reference order (the archive writer's work list, as PyTorch's
 * PrintDepsTable).  A cts_printer is one output text (one code/ file):
 * the counters that unique temporary names persist across the functions
 * and classes printed into the same file, as in PyTorch. */
#ifndef CTS_COMPILER_PRINTER_H
#define CTS_COMPILER_PRINTER_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/error.h"
#include "../core/hashmap.h"
#include "../core/strbuf.h"
#include "../ir/function.h"
#include "../value/type.h"
#include "../value/value.h"

typedef struct cts_cu cts_cu;

/* A dependency of printed code: a named type (class, module, NamedTuple,
 * interface, enum) or a free function called through prim::CallFunction. */
typedef struct cts_print_dep {
    cts_type *type;          /* borrowed; NULL for a function */
    const ir_function *fn;   /* borrowed; NULL for a type */
} cts_print_dep;

typedef struct cts_printer_ctx {
    cts_cu *cu;              /* if set, methods not yet compiled are compiled when printed */
    cv_value *constants;     /* CONSTANTS.c<i> (owned references) */
    int nconstants, cap_constants;
    cts_print_dep *deps;     /* in first-reference order, no duplicates */
    int ndeps, cap_deps;
    int64_t min_version;     /* least archive version supporting the printed ops */
} cts_printer_ctx;

void cts_printer_ctx_init(cts_printer_ctx *ctx, cts_cu *cu);
void cts_printer_ctx_free(cts_printer_ctx *ctx);
/* Adds a dependency unless already present (types compare equal by name);
 * an archive writer seeds the table with the root module class, then
 * prints deps[i] for i = 0, 1, ... (printing appends more), each into the
 * printer of its qualifier's file.  Returns -1 on out-of-memory. */
int cts_printer_ctx_add_dep(cts_printer_ctx *ctx, cts_type *type, const ir_function *fn);
/* The qualified name of a dependency ("__torch__.foo.Bar"). */
const char *cts_print_dep_qualname(const cts_print_dep *d);

/* One output text (PythonPrint): an archive code/ file or a `.code` string. */
typedef struct cts_printer {
    cts_printer_ctx *ctx;
    bool enforce_importable; /* archive output: reject what cannot be loaded back */
    cts_strbuf out;
    cts_map next_id;         /* name -> next numeric suffix (persists per file) */
    cts_arena keys;          /* keys of next_id */
} cts_printer;

void cts_printer_init(cts_printer *p, cts_printer_ctx *ctx, bool enforce_importable);
void cts_printer_free(cts_printer *p);
/* Appends `def name(...) -> T:` and the body at the current level (0 for
 * a free function).  annotate_first_arg false gives Method.code's
 * unannotated `self`. */
int cts_printer_function(cts_printer *p, const ir_function *fn, bool annotate_first_arg, cts_err *err);
/* Appends a class (module, plain class, NamedTuple, interface or enum)
 * with its attributes, constants and methods, as printNamedType does.
 * `t` is TY_CLASS or a NamedTuple type. */
int cts_printer_class(cts_printer *p, const cts_type *t, cts_err *err);
/* Appends the definition of a dependency (class or function). */
int cts_printer_dep(cts_printer *p, const cts_print_dep *d, cts_err *err);

/* What fn.code prints in PyTorch (a fresh printer): with
 * is_method_of_code_property, `self` is unannotated (Method.code, e.g.
 * module.code); otherwise every argument is annotated (ScriptFunction.code
 * and archive files).  Appends to sb; ctx collects constants and deps. */
int cts_print_function_code(const ir_function *fn, bool is_method_of_code_property, cts_strbuf *sb,
                            cts_printer_ctx *ctx, cts_err *err);
/* A class as it appears in an archive file (a fresh printer). */
int cts_print_class(const cts_type *t, cts_strbuf *sb, cts_printer_ctx *ctx, cts_err *err);

#endif
