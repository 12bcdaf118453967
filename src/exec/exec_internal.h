/* exec_internal.h - the Python evaluator of `cts exec` (exec.c) and its parts:
 * Python-level objects (CV_PY payloads), the eager operator bridge
 * (exec_ops.c), torch.nn.Module (exec_nn.c) and torch.jit (exec_jit.c).
 *
 * Values are cv_values.  What only Python has (modules, functions, classes,
 * instances, bound methods, scripted and traced programs) is a CV_PY
 * payload, an `xo` below.  Tensors, numbers, strings, lists, tuples and
 * dicts are the runtime's own values, so they pass to compiled code as
 * they are. */
#ifndef CTS_EXEC_INTERNAL_H
#define CTS_EXEC_INTERNAL_H

#include <stdio.h>

#include "../compiler/cu.h"
#include "../runtime/module.h"
#include "../runtime/trace.h"
#include "../value/value.h"

typedef struct xstate xstate;

/* An ordered namespace: name -> value (owned references, names owned). */
typedef struct xns {
    char **names;
    cv_value *vals;
    int n, cap;
    cts_map idx; /* name -> (void *)(index + 1) */
} xns;

void xns_init(xns *ns);
void xns_free(xns *ns);
cv_value *xns_get(const xns *ns, const char *name);
/* Sets name (retaining v). */
int xns_set(xns *ns, const char *name, cv_value v, cts_err *err);
/* Removes name if present; returns whether it was. */
bool xns_del(xns *ns, const char *name);

typedef enum xkind {
    XO_MODULE,   /* a Python module (library source or native) */
    XO_PATH,     /* a dotted TorchScript builtin name ("torch.rand", "math.sqrt") */
    XO_FUNC,     /* a Python function */
    XO_CLASS,    /* a Python class */
    XO_INST,     /* an instance of a Python class */
    XO_BOUND,    /* a function bound to its receiver */
    XO_NATIVE,   /* a function written in C (maybe bound) */
    XO_SMOD,     /* a scripted, traced or loaded module (or one of its submodules) */
    XO_SFN,      /* a scripted or traced function */
    XO_SUPER,    /* super(): attribute lookup from a class's base */
} xkind;

typedef struct xo xo;
/* A native function: args[0] is the receiver when bound. */
typedef int (*xnative_fn)(xstate *x, const cv_value *args, int nargs, const char *const *kwn, const cv_value *kwv,
                          int nkw, cv_value *out);

typedef struct xmod_rt {      /* a cts module sharing the program's unit (or a loaded archive) */
    cts_rt_module *rt;
} xmod_rt;

struct xo {
    cv_py head;
    xkind kind;
    char *name;               /* module/class/function name; path for XO_PATH */
    /* XO_MODULE: globals; XO_CLASS: class attributes; XO_INST: plain attributes */
    xns ns;
    /* XO_MODULE */
    const cts_source *src;    /* its source (library or program file), or NULL for native */
    char *qualifier;          /* "__torch__" or "__torch__.torch.nn.modules.linear" */
    cv_value (*native_getattr)(xstate *x, xo *m, const char *name); /* native modules: attribute fallback */
    /* XO_FUNC */
    const ast *def;
    xo *globals;              /* the defining module (owned reference) */
    xo *defined_in;           /* the class whose body defined it (borrowed: the class holds it and clears
                                 this when it goes), or NULL */
    cv_value *defaults;       /* per parameter; CV_UNINIT when none */
    xns *closure;             /* enclosing function's locals, or NULL (owned) */
    cv_value scripted;        /* its XO_SFN once compiled (owned), else None */
    /* XO_CLASS */
    cv_value base;            /* XO_CLASS or None */
    const ast *cls;
    bool is_module;           /* derives from torch.nn.Module */
    bool native_class;        /* torch.nn.Module itself, torch.Tensor, builtin exception classes */
    /* XO_INST */
    xo *klass;                /* owned */
    xns params, buffers, modules; /* nn.Module instances */
    bool training;
    /* XO_BOUND / XO_NATIVE */
    cv_value self;            /* receiver (owned) or None */
    cv_value fn;              /* XO_BOUND: the function */
    xnative_fn native;
    /* XO_SMOD */
    xmod_rt *mrt;             /* shared by the module and its submodule handles (freed at the end of the run) */
    cv_value obj;             /* the cv_object */
    /* XO_SFN */
    ir_function *sfn;
    cts_cu *scu;              /* the unit that holds sfn */
};

static inline xo *xo_of(cv_value v) { return v.tag == CV_PY ? (xo *)v.u.py : NULL; }
static inline bool xo_is(cv_value v, xkind k) { return v.tag == CV_PY && ((xo *)v.u.py)->kind == k; }

/* The signature of a C function the program can call (xnative_fn). */
#define NATIVE(name)                                                                                          \
    static int name(xstate *x, const cv_value *a, int n, const char *const *kwn, const cv_value *kwv, int nkw, \
                    cv_value *out)

/* A new object of kind (one reference, as a cv_value); None on OOM with err set. */
int xo_new(xstate *x, xkind kind, const char *name, cv_value *out);
int xo_native_new(xstate *x, const char *name, xnative_fn fn, cv_value self, cv_value *out);

/* The program's state. */
struct xstate {
    cts_err *err;
    FILE *out;                /* print() */
    cts_arena arena;          /* sources, generated text */
    xns modules;              /* sys.modules: name -> XO_MODULE */
    cts_cu *cu;               /* TorchScript compiled by the program: scripted code, traced graphs */
    cts_cu *ecu;              /* eager operator calls (exec_ops.c) */
    cts_map eager_cache;      /* call shape -> ir_function */
    int neager;
    cts_map type_cache;       /* concrete module type key -> cts_type (exec_jit.c) */
    int mangle;               /* next ___torch_mangle_N */
    cv_value module_class;    /* torch.nn.Module */
    cv_value tensor_class;    /* torch.Tensor */
    cts_type *size_type;      /* the tuple type of torch.Size values (x.size(), x.shape) */
    cts_pool *pool;
    struct xtrace *trace;     /* the eager trace being recorded (exec_jit.c), or NULL */
    void **traced_objs;       /* cv_objects made by torch.jit.trace from eager modules (printing) */
    int ntraced, cap_traced;
    xmod_rt **rts;            /* every module made or loaded, freed at the end */
    int nrts, cap_rts;
    struct cts_generator *gen;
    ct_tensor **params;       /* tensors made by nn.Parameter (held): what registers as a parameter */
    int nparams, cap_params;
    const char *file;         /* the program's path */
    int depth;                /* call depth (recursion limit) */
    const xns *locals;        /* the running Python function's locals (NULL at module level) */
};

/* exec.c */
int x_call(xstate *x, cv_value callee, const cv_value *args, int nargs, const char *const *kwn, const cv_value *kwv,
           int nkw, cv_value *out);
int x_getattr(xstate *x, cv_value obj, const char *name, cv_value *out);
int x_setattr(xstate *x, cv_value obj, const char *name, cv_value v);
int x_import(xstate *x, const char *name, cv_value *out);
int x_str(xstate *x, cv_value v, cts_strbuf *sb);
int x_repr(xstate *x, cv_value v, cts_strbuf *sb);
bool x_isinstance_class(cv_value inst, const xo *cls);
cv_value x_class_lookup(const xo *cls, const char *name); /* borrowed or None */
int x_truth(xstate *x, cv_value v, bool *out);
int x_list_new(xstate *x, size_t cap, cv_value *out);
int x_list_push(xstate *x, cv_value list, cv_value item);

/* A list of ints as torch.Size (a tuple that prints as torch.Size([...])). */
int x_as_size(xstate *x, cv_value list, cv_value *out);

/* exec_ops.c: eager operator calls through tiny compiled functions.
 * body: TorchScript text over parameters a0..a{n-1} ("return a0 + a1",
 * "return torch.rand(a0, a1, dtype=a2)", "a0[a1] = a2"); args: their values
 * (a None argument is written into the text, not passed). */
int x_eager(xstate *x, const char *body, const cv_value *args, int nargs, cv_value *out);
/* Calls a TorchScript builtin by dotted name with Python arguments. */
int x_eager_call(xstate *x, const char *callee, cv_value self, bool method, const cv_value *args, int nargs,
                 const char *const *kwn, const cv_value *kwv, int nkw, cv_value *out);
/* Runs a compiled function with a trace hook when tracing (fn lowered). */
int x_run(xstate *x, ir_function *fn, const cv_value *args, int nargs, cv_value *out);

/* exec_nn.c */
bool x_is_parameter(const xstate *x, cv_value v);
int x_register_parameter(xstate *x, ct_tensor *t); /* t is an nn.Parameter from now on */
int x_nn_init(xstate *x);
int x_module_getattr(xstate *x, xo *inst, const char *name, cv_value *out, bool *found);
int x_module_setattr(xstate *x, xo *inst, const char *name, cv_value v);
int x_module_repr(xstate *x, xo *inst, cts_strbuf *sb);
cv_value x_nn_native_module(xstate *x, const char *name); /* torch.nn.modules.module, torch.nn.parameter */

/* exec_jit.c */
cv_value x_jit_module(xstate *x);
int x_smod_getattr(xstate *x, xo *m, const char *name, cv_value *out);
int x_smod_call(xstate *x, xo *m, const char *method, const cv_value *args, int nargs, const char *const *kwn,
                const cv_value *kwv, int nkw, cv_value *out);
int x_sfn_getattr(xstate *x, xo *f, const char *name, cv_value *out);
int x_sfn_call(xstate *x, xo *f, const cv_value *args, int nargs, const char *const *kwn, const cv_value *kwv, int nkw,
               cv_value *out);
int x_smod_repr(xstate *x, xo *m, cts_strbuf *sb);
int x_script_function(xstate *x, xo *fn, cv_value *out);
/* The compiler's hook for names the program binds (cts_cu.resolve_global). */
int x_resolve_global(void *ctx, const ir_function *in, const char *name, ir_function **fn, cts_type **cls,
                     cts_err *err);
/* While tracing: an eager module instance's call / a scripted callee. */
int x_trace_module_call(xstate *x, xo *inst, const cv_value *args, int nargs, cv_value *out, bool *handled);
int x_trace_script_call(xstate *x, cv_value callee, const char *method, const cv_value *args, int nargs,
                        cv_value result);
void x_jit_free(xstate *x);

/* As PyTorch's tracer names a value when an operator uses it: after the
 * running Python function's first local variable (not self) bound to the
 * same tensor, if the value has no name yet. */
void x_trace_name_args(xstate *x, const cv_value *args, int nargs);

/* errors */
int x_error(xstate *x, const char *fmt, ...) CTS_PRINTF(2, 3);

/* the embedded library (generated: exec_lib.c) */
const char *cts_exec_library_source(const char *module, bool *is_package);

#endif
