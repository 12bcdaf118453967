/* emit_internal.h - shared state of the compiler's emitter files.
 *
 * emit.c (statements, expressions, environments), sugar.c (sugared values:
 * what a name or attribute means before it is a graph value) and match.c
 * (overload resolution against schemas) together replay PyTorch's
 * ir_emitter so that the graphs they build are PyTorch's graphs.
 *
 * Errors inside the emitter longjmp to cts_emit_function's entry (the
 * compiler's documented exception mechanism); the graph under
 * construction is freed there, so nothing half-built escapes. */
#ifndef CTS_COMPILER_EMIT_INTERNAL_H
#define CTS_COMPILER_EMIT_INTERNAL_H

#include <setjmp.h>

#include "../ir/function.h"
#include "../ir/ir.h"
#include "cu.h"

typedef struct emitter emitter;
typedef struct sv sv;

/* What an expression denotes before it is a graph value. */
typedef enum sv_kind {
    SV_SIMPLE,        /* a graph value */
    SV_NS,            /* `torch`, `ops`, `ops.prim`, `math`: a builtin namespace (name = "aten", "prim", ...) */
    SV_BUILTIN,       /* an operator symbol (name = "aten::add"), with optional bound self */
    SV_METHOD,        /* a method of a class value (self = value, name) */
    SV_FUNCTION,      /* a TorchScript function (fn) */
    SV_CLASS,         /* a class (type), callable to construct, `__new__` */
    SV_SPECIAL,       /* a special form (name = "prim::annotate", ...) */
    SV_PRINT,
    SV_CAST,          /* int / float / bool / str (type, name = op) */
    SV_MAGIC,         /* a builtin with a magic-method fallback (name = "__len__", inner) */
    SV_RANGE,         /* range(start, end, step) values */
    SV_ITER_TREE,     /* zip / enumerate */
    SV_EXCEPTION,     /* an exception class (name) */
    SV_EXCEPTION_MSG, /* an exception instance (name, value = message or NULL) */
    SV_CONSTANTS,     /* CONSTANTS */
    SV_QUALIFIER,     /* a partial qualified name `__torch__.foo` */
    SV_NONE_NS,       /* placeholder for ignored imports (`typing`) */
    SV_TUPLE_SV,      /* a tuple of sugared values (module lists, unrolled) */
} sv_kind;

struct sv {
    sv_kind kind;
    ir_value *value;      /* SV_SIMPLE, bound self of SV_BUILTIN/SV_METHOD, message */
    ir_value *cls_value;  /* SV_EXCEPTION_MSG: the exception's class name (str), or NULL */
    bool prefix_message;  /* SV_EXCEPTION: message is "Name: " + args (the builtin AssertionError) */
    const char *name;
    cts_type *type;       /* SV_CLASS / SV_CAST */
    ir_function *fn;
    sv *inner;            /* SV_MAGIC */
    ir_value *range[3];   /* SV_RANGE: start, end, step (NULL = default) */
    int nrange;
    bool has_static_len;
    int64_t static_len;
    sv **children;        /* SV_ITER_TREE / SV_TUPLE_SV */
    int nchildren;
};

/* A named argument of a call. */
typedef struct nval {
    const char *name;     /* NULL for positional */
    ir_value *value;      /* or NULL with a constant: */
    bool is_const;
    cv_value cval;        /* a default value to materialize when used */
    uint32_t start, end;
} nval;

/* The matched form of a call against one schema. */
typedef struct matched {
    ir_value *inputs[128];
    int ninputs;
    cts_type *ret_types[16];
    int nrets;
    const char *ret_names[16];
    bool named_returns;
} matched;

typedef struct env env;
struct env {
    ir_block *b;
    cts_map values;   /* name -> sv* (not first-class) */
    cts_map types;    /* name -> cts_type* (first-class: Store/Load) */
    cts_map errors;   /* name -> const char* message (defined on one branch only) */
    env *next;
    env *all_next;    /* every frame of the compile, for teardown */
};

typedef enum loop_status { NOT_IN_LOOP, IN_LOOP, IN_UNROLLED_LOOP } loop_status;

struct emitter {
    cts_cu *cu;
    ir_function *fn;
    ir_graph *g;
    const cts_source *src;
    cts_arena *arena;         /* temporaries of this compile */
    cts_err *err;
    jmp_buf fail;
    env *env;
    cts_map int_consts;       /* "%lld" -> ir_value*, materialized at graph start */
    cts_map float_consts;
    cts_map exit_blocks;      /* "%p" of blocks that always exit */
    cts_type *declared_ret;   /* NULL if not annotated */
    cts_type *merged_ret;
    loop_status loop;
    int temp_count;
    cts_type *self_type;
    env *all_frames;
};

/* Compiles fn's body into fn->graph (SSA, cleaned up as PyTorch does). */
int cts_emit_function(cts_cu *cu, ir_function *fn, cts_err *err);

/* ---- errors (longjmp) ---- */
_Noreturn void em_error(emitter *e, uint32_t start, uint32_t end, const char *fmt, ...) CTS_PRINTF(4, 5);
_Noreturn void em_error_at(emitter *e, const ast *n, const char *fmt, ...) CTS_PRINTF(3, 4);
_Noreturn void em_fail(emitter *e); /* err already set */

/* ---- small helpers ---- */
void *em_alloc(emitter *e, size_t n);
const char *em_strdup(emitter *e, const char *s);
const char *em_type_str(emitter *e, const cts_type *t); /* repr_str for messages */
sv *sv_simple(emitter *e, ir_value *v);
sv *sv_new(emitter *e, sv_kind k);
ir_value *em_const(emitter *e, cv_value v, uint32_t start, uint32_t end);
ir_value *em_int_const(emitter *e, int64_t v, uint32_t start, uint32_t end);   /* materializeConstant */
ir_value *em_float_const(emitter *e, double v, uint32_t start, uint32_t end);
ir_node *em_insert(emitter *e, const char *kind, int nout, uint32_t start, uint32_t end);
cts_type *em_hold(emitter *e, cts_type *t); /* keeps t alive for the unit; returns t */
ir_value *nval_value(emitter *e, nval *nv);

/* ---- sugared values (sugar.c) ---- */
ir_value *sv_as_value(emitter *e, sv *s, uint32_t start, uint32_t end);
sv *sv_attr(emitter *e, sv *s, const char *field, uint32_t start, uint32_t end);
/* ModuleDict.items()/keys()/values() (a "cts::mdict_*" special form): the
 * unrolled keys, submodules or (key, submodule) pairs */
sv *sv_module_dict_view(emitter *e, sv *view, uint32_t start, uint32_t end);
sv *sv_call(emitter *e, sv *s, nval *args, int nargs, nval *kwargs, int nkwargs, int n_binders, uint32_t start,
            uint32_t end);
sv *sv_iter(emitter *e, sv *s, uint32_t start, uint32_t end);
ir_value *sv_len(emitter *e, sv *s, uint32_t start, uint32_t end);
sv *sv_getitem(emitter *e, sv *s, ir_value *idx, uint32_t start, uint32_t end);
/* tuple-like unpacking of a sugared value into n values (n < 0: any) */
int sv_as_tuple(emitter *e, sv *s, sv **out, int max, int n, uint32_t start, uint32_t end);
bool sv_should_unroll(const sv *s);
sv *em_resolve_global(emitter *e, const char *name, uint32_t start, uint32_t end);

/* ---- schema matching (match.c) ---- */
ir_value *em_builtin_call(emitter *e, const char *opname, nval *args, int nargs, nval *kwargs, int nkwargs,
                          nval *self, uint32_t start, uint32_t end);
bool em_try_match(emitter *e, const cts_schema *s, nval *args, int nargs, nval *kwargs, int nkwargs, nval *self,
                  bool allow_conv, matched *m, cts_strbuf *why);
int em_match_schemas(emitter *e, const cts_schema *const *schemas, int n, nval *args, int nargs, nval *kwargs,
                     int nkwargs, nval *self, matched *m, uint32_t start, uint32_t end);
ir_value *em_convert(emitter *e, cts_type *to, ir_value *v, bool allow_conv, uint32_t start, uint32_t end);
ir_value *em_insert_op(emitter *e, const char *opname, ir_value **inputs, int n, uint32_t start, uint32_t end);
void em_resolve_schema(emitter *e, ir_node *n);
ir_value *em_pack_outputs(emitter *e, ir_node *n, matched *m);
ir_value *em_list(emitter *e, cts_type *elem, ir_value **vals, int n);
ir_value *em_tuple(emitter *e, ir_value **vals, int n, cts_type *named);
ir_value *em_unchecked_cast(emitter *e, ir_value *v, cts_type *t);
/* NormalizeOps: operator aliases to their canonical form (normalize.c) */
void em_normalize_ops(emitter *e);
cts_type *em_unify(emitter *e, cts_type *a, cts_type *b); /* NULL when not unifiable; held */

/* ---- builtins.c: TorchScript-defined overloads (inlined at the call) ---- */
int em_builtin_functions(emitter *e, const char *opname, ir_function **out, int max);

/* ---- emit.c entry points used by sugar.c ---- */
ir_value *em_expr(emitter *e, const ast *n, cts_type *hint);
sv *em_sugared_expr(emitter *e, const ast *n, int n_binders, cts_type *hint);
cts_type *em_parse_type(emitter *e, const ast *n);

#endif
