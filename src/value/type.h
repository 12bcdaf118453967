/* type.h - the TorchScript type system.
 *
 * Types are immutable, refcounted (atomic) and shareable between threads.
 * The primitive types are static singletons that retain/release ignore.
 * A class type (modules, TorchScript classes, NamedTuples) carries its
 * attribute table in a cts_class, which the compilation unit fills while it
 * compiles and freezes afterwards. */
#ifndef CTS_VALUE_TYPE_H
#define CTS_VALUE_TYPE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"
#include "../core/strbuf.h"

/*       enum         IR / annotation name */
#define CTS_TYPE_KINDS(X)          \
    X(ANY,        "Any")           \
    X(TENSOR,     "Tensor")        \
    X(INT,        "int")           \
    X(FLOAT,      "float")         \
    X(BOOL,       "bool")          \
    X(STR,        "str")           \
    X(NONE,       "NoneType")      \
    X(NUMBER,     "Scalar")        \
    X(COMPLEX,    "complex")       \
    X(DEVICE,     "Device")        \
    X(GENERATOR,  "Generator")     \
    X(STORAGE,    "Storage")       \
    X(LAYOUT,     "Layout")        \
    X(STREAM,     "Stream")        \
    X(CAPSULE,    "Capsule")       \
    X(ANY_CLASS,  "AnyClassType")  \
    X(ANY_ENUM,   "AnyEnumType")   \
    X(ANY_LIST,   "list")          \
    X(ANY_TUPLE,  "tuple")         \
    X(QSCHEME,    "QScheme")       \
    X(FUNCTION,   "Function")      \
    X(OPTIONAL,   "Optional")      \
    X(LIST,       "List")          \
    X(TUPLE,      "Tuple")         \
    X(DICT,       "Dict")          \
    X(UNION,      "Union")         \
    X(FUTURE,     "Future")        \
    X(RREF,       "RRef")          \
    X(CLASS,      "class")         \
    X(VAR,        "var")

typedef enum cts_type_kind {
#define X(e, s) TY_##e,
    CTS_TYPE_KINDS(X)
#undef X
    TY__COUNT
} cts_type_kind;

typedef struct cts_type cts_type;
typedef struct cts_class cts_class;

struct cts_type {
    atomic_int rc;         /* < 0: immortal */
    cts_type_kind kind;
    int n;                 /* number of contained types */
    cts_type **elems;      /* Optional/List/Future: 1; Dict: 2; Tuple/Union: n */
    char *name;            /* type variable name; tuple: NamedTuple qualified name or NULL */
    char **fields;         /* NamedTuple field names (n of them) or NULL */
    cts_class *cls;        /* TY_CLASS */
    /* TY_TENSOR recorded by a trace (PyTorch's complete TensorType): its IR
     * spelling ("Float(3, 4, strides=[4, 1], requires_grad=0, device=cpu)")
     * and whether it requires grad; NULL for plain Tensor.  Every other use
     * sees a Tensor. */
    char *shape;
    bool requires_grad;
};

/* Attribute slot of a class. */
typedef struct cts_attr {
    char *name;
    cts_type *type;
    bool is_param, is_buffer;
} cts_attr;

/* Named constant of a class (`name : Final[T] = value`), value kept as a
 * cv_value by the value layer (opaque here to keep layers ordered). */
typedef struct cts_class_const {
    char *name;
    cts_type *type;
    void *value; /* cv_value*, owned */
} cts_class_const;

typedef struct cts_class_method {
    char *name;
    void *fn;   /* runtime function (owned by the compilation unit) */
} cts_class_method;

struct cts_class {
    char *qualname;          /* "__torch__.foo.Bar" */
    bool is_module;
    bool is_namedtuple, is_enum, is_interface;
    /* a module container scripted from Python (cts exec): 1 Sequential or
     * ModuleList (iterable, len, constant index), 2 ModuleDict (by constant
     * key, iterable over keys, items/keys/values); 0 otherwise */
    int module_container;
    int nattrs, cap_attrs;
    cts_attr *attrs;
    int nconsts, cap_consts;
    cts_class_const *consts;
    int nmethods, cap_methods;
    cts_class_method *methods;
    void (*free_const)(void *value); /* set by the value layer */
};

/* Static singletons for the primitive kinds. */
cts_type *cts_type_prim(cts_type_kind k);
#define T_ANY cts_type_prim(TY_ANY)
#define T_TENSOR cts_type_prim(TY_TENSOR)
#define T_INT cts_type_prim(TY_INT)
#define T_FLOAT cts_type_prim(TY_FLOAT)
#define T_BOOL cts_type_prim(TY_BOOL)
#define T_STR cts_type_prim(TY_STR)
#define T_NONE cts_type_prim(TY_NONE)
#define T_NUMBER cts_type_prim(TY_NUMBER)
#define T_DEVICE cts_type_prim(TY_DEVICE)

void cts_type_retain(cts_type *t);
void cts_type_release(cts_type *t);

/* Constructors return a new reference; they retain their arguments (the
 * caller keeps its own references).  NULL on out-of-memory. */
cts_type *cts_type_optional(cts_type *e);
cts_type *cts_type_list(cts_type *e);
cts_type *cts_type_future(cts_type *e);
cts_type *cts_type_dict(cts_type *k, cts_type *v);
cts_type *cts_type_tuple(int n, cts_type *const *elems);
cts_type *cts_type_namedtuple(const char *qualname, int n, cts_type *const *elems, const char *const *fields);
cts_type *cts_type_union(int n, cts_type *const *elems); /* flattens, dedups, sorts; may return a non-union */
/* Sorts types in a union's member order (PyTorch's TypeKind, then text). */
void cts_type_sort_members(cts_type **ts, int n);
cts_type *cts_type_var(const char *name);
cts_type *cts_type_class(const char *qualname, bool is_module); /* new empty class */
/* A Tensor type carrying a trace's shape spelling (see cts_type.shape; NULL:
 * printed as Tensor, only the requires_grad flag). */
cts_type *cts_type_tensor_shaped(const char *spelling, bool requires_grad);
/* t with every traced shape dropped (new reference, NULL on OOM); with
 * keep_grad, a tensor that requires grad keeps that flag. */
cts_type *cts_type_unshaped(cts_type *t, bool keep_grad);

bool cts_type_equal(const cts_type *a, const cts_type *b);
/* a <: b, PyTorch's isSubtypeOf (int </: float, bool </: int, lists invariant). */
bool cts_type_subtype(const cts_type *a, const cts_type *b);
/* PyTorch's unifyTypes: the supertype if one is a subtype of the other;
 * None with T -> Optional[T]; Optional[A] with B -> Optional[unify(A, B)];
 * tuples elementwise; otherwise Union[a, b] when to_union, else NULL.
 * Returns a new reference (NULL also when out of memory). */
cts_type *cts_type_unify(cts_type *a, cts_type *b, bool to_union);
bool cts_type_is_optional_like(const cts_type *t); /* Optional or Union containing None */

/* IR spelling (`int[]`, `Tensor?`, `(int, str)`, `Dict(str, int)`). */
void cts_type_str_ir(const cts_type *t, cts_strbuf *sb);
/* Annotation spelling (`List[int]`, `Optional[Tensor]`, `Tuple[int, str]`). */
void cts_type_str_annot(const cts_type *t, cts_strbuf *sb);

/* Class helpers.  Return -1 on out-of-memory. */
int cts_class_add_attr(cts_class *c, const char *name, cts_type *t, bool is_param, bool is_buffer);
int cts_class_find_attr(const cts_class *c, const char *name);     /* slot or -1 */
int cts_class_add_method(cts_class *c, const char *name, void *fn);
void *cts_class_find_method(const cts_class *c, const char *name);
int cts_class_add_const(cts_class *c, const char *name, cts_type *t, void *value);
int cts_class_find_const(const cts_class *c, const char *name);

#endif
