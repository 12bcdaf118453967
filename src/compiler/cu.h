/* cu.h - a compilation unit: the classes and functions of one program.
 *
 * A loaded archive is one compilation unit: its `code/` files are parsed on
 * demand when the unpickler or the compiler meets a qualified name
 * (`__torch__.foo.Bar` lives in `code/__torch__/foo.py`); classes are
 * declared from their class bodies and their methods compiled lazily,
 * each when first needed.  A `.py` file compiled by `cts script` is a
 * compilation unit too, with the file itself as the only source.
 *
 * The unit owns the sources, their ASTs (one arena), class types, functions
 * and the parsed-schema cache.  It is built by one thread; once loading is
 * finished it is immutable and shared by every call. */
#ifndef CTS_COMPILER_CU_H
#define CTS_COMPILER_CU_H

#include "../core/arena.h"
#include "../core/hashmap.h"
#include "../ir/function.h"
#include "ast.h"

typedef struct cts_cu cts_cu;

/* Supplies the text of a qualifier's file ("__torch__.foo" -> the bytes of
 * code/__torch__/foo.py).  Returns 1 and fills text/len (owned by the
 * caller of cts_cu_new, alive as long as the unit) if it exists, 0 if not,
 * -1 on error. */
typedef int (*cts_source_loader)(void *ctx, const char *qualifier, const char **text, size_t *len,
                                 const char **display_name, cts_err *err);

struct cts_cu {
    cts_arena arena;          /* ASTs, source structs, names */
    cts_map classes;          /* qualname -> cts_type* (TY_CLASS / NamedTuple) */
    cts_map functions;        /* qualname -> ir_function* (free functions and methods) */
    cts_map pending;          /* qualname -> const ast* (parsed, not yet declared) */
    cts_map loaded_files;     /* qualifier -> (void*)1 once parsed */
    cts_map schemas;          /* schema text -> cts_schema* */
    cts_map aliases;          /* imported name -> module path ("F" -> "torch.nn.functional") */
    cts_source_loader loader;
    void *loader_ctx;
    cv_value constants;       /* CONSTANTS table: a tuple (or None) */
    int64_t version;          /* archive format version (drives upgraders), 0 = current */
    int python_frontend;      /* sources added from now on are Python files (see source.h) */
    const char *default_qualifier; /* where bare class names in annotations live ("__torch__"), or NULL */
    /* Names bound by a running Python program (`cts exec`): asked for a bare
     * name used in a function body, before the unit's own definitions.
     * Returns 1 with *fn or *cls set, 0 when the program binds nothing
     * TorchScript can call under that name, -1 with err set. */
    int (*resolve_global)(void *ctx, const ir_function *in, const char *name, ir_function **fn, cts_type **cls,
                          cts_err *err);
    void *resolve_ctx;
    /* every function, for teardown, in creation order */
    ir_function **fns;
    int nfns, cap_fns;
    cts_type **owned_types;   /* references held by the unit */
    int ntypes, cap_types;
};

cts_cu *cts_cu_new(cts_source_loader loader, void *ctx);
void cts_cu_free(cts_cu *cu);

/* Parses source text and registers its top-level classes and functions
 * under `qualifier` (e.g. "__torch__").  Text must outlive the unit. */
int cts_cu_add_source(cts_cu *cu, const char *qualifier, const char *display_name, const char *text, size_t len,
                      cts_err *err);

/* Finds or declares a class by qualified name (loading its file on demand).
 * Returns a borrowed reference, NULL with err set if there is none. */
cts_type *cts_cu_get_class(cts_cu *cu, const char *qualname, cts_err *err);
/* Same for a free function; NULL with err when unknown. */
ir_function *cts_cu_get_function(cts_cu *cu, const char *qualname, cts_err *err);
/* Finds a method of a class (declaring it); NULL if the class has none. */
ir_function *cts_cu_get_method(cts_cu *cu, cts_type *cls, const char *name, cts_err *err);
/* Makes sure fn's schema is known (parses the signature). */
int cts_cu_ensure_schema(cts_cu *cu, ir_function *fn, cts_err *err);
/* Compiles fn's body if not done yet (recursively compiles callees' schemas). */
int cts_cu_ensure_compiled(cts_cu *cu, ir_function *fn, cts_err *err);
/* Compiles every method of every declared class and every function. */
int cts_cu_compile_all(cts_cu *cu, cts_err *err);

/* Parsed schema for a schema string, cached per unit. */
const cts_schema *cts_cu_schema(cts_cu *cu, const char *text, cts_err *err);

/* A type expression (annotation) to a type, resolving class names.
 * Returns a new reference. */
cts_type *cts_cu_parse_type_expr(cts_cu *cu, const ast *e, const cts_source *src, cts_err *err);
/* A type annotation string ("List[int]", "__torch__.Foo") to a type (new ref). */
cts_type *cts_cu_parse_type_str(cts_cu *cu, const char *text, cts_err *err);

/* Rewrites a dotted name whose first component is an import alias
 * ("F.relu" -> "torch.nn.functional.relu"); returns buf or name. */
const char *cts_cu_unalias(cts_cu *cu, const char *name, char *buf, size_t n);

/* TorchScript source cts ships for a qualifier (library.c), or NULL. */
const char *cts_library_source(const char *qualifier);

/* Keeps a reference alive as long as the unit. */
int cts_cu_hold_type(cts_cu *cu, cts_type *t);

/* Classes and methods made from graphs built elsewhere (traced modules).
 * define_class: a new empty class (an error if the name is taken); the
 * unit holds it.  define_method: adds method `name` with the finished graph
 * g (the unit takes it): self is its first input, the schema's parameter
 * names are the inputs' debug names without their `.N` suffix, the return
 * type is the output's. */
cts_type *cts_cu_define_class(cts_cu *cu, const char *qualname, bool is_module, cts_err *err);
ir_function *cts_cu_define_method(cts_cu *cu, cts_type *cls, const char *name, ir_graph *g, cts_err *err);

/* A free function whose body is the finished graph g (a traced function);
 * the unit takes g.  Parameters are named as for define_method. */
ir_function *cts_cu_define_function(cts_cu *cu, const char *qualname, ir_graph *g, cts_err *err);
/* A class declared from Python class bodies (`cts exec` scripting an
 * instance): the methods of bodies[0], then those of its bases' bodies not
 * overridden, each compiled lazily from its source; no attributes (the
 * caller adds them from the instance). */
cts_type *cts_cu_declare_class(cts_cu *cu, const char *qualname, bool is_module, const ast *const *bodies,
                               const cts_source *const *srcs, int nbodies, cts_err *err);

#endif
