/* pickle.c - the unpickler (see pickle.h for the dialects and the allow-list).
 *
 * The machine is Python's: a stack, a stack of marks (an opcode sees only
 * the items above the innermost mark) and a memo.  Stack items are cv_values
 * or four things that only exist while unpickling: a global (a reconstructor
 * or a class), a storage from a persistent id, a tuple holding such things
 * (the arguments of _rebuild_tensor_v2), and an object awaiting its BUILD.
 *
 * Invariants: every container the stream creates has an entry in `info`
 * giving its nesting depth and whether it has been placed inside another
 * value ("sealed"); sealed lists and dicts are never mutated again, so the
 * result is acyclic and no deeper than max_depth (its release cannot blow
 * the C stack). */
#include "pickle.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hashmap.h"
#include "ptrmap.h"

/* ---- opcodes ----
 * Every opcode of Python's pickle; the ones marked + are executed, the rest
 * are named in the "unsupported opcode" error. */
#define PK_OPCODES(X)                                                                          \
    X(MARK, 0x28)             /* + push a mark */                                              \
    X(STOP, 0x2e)             /* + end; the result is the stack top */                         \
    X(POP, 0x30)              /* + discard the top item (or the innermost mark) */             \
    X(POP_MARK, 0x31)         /* + discard items down to the innermost mark */                 \
    X(DUP, 0x32)              /* + push a copy of the top item */                              \
    X(FLOAT, 0x46)            /*   text float */                                               \
    X(INT, 0x49)              /*   text int */                                                 \
    X(BININT, 0x4a)           /* + i32 LE */                                                   \
    X(BININT1, 0x4b)          /* + u8 */                                                       \
    X(LONG, 0x4c)             /*   text long */                                                \
    X(BININT2, 0x4d)          /* + u16 LE */                                                   \
    X(NONE, 0x4e)             /* + None */                                                     \
    X(PERSID, 0x50)           /*   text persistent id */                                       \
    X(BINPERSID, 0x51)        /* + persistent id from the stack: a storage */                  \
    X(REDUCE, 0x52)           /* + callable(*args): pop args, pop callable */                  \
    X(STRING, 0x53)           /*   text bytes */                                               \
    X(BINSTRING, 0x54)        /*   py2 str */                                                  \
    X(SHORT_BINSTRING, 0x55)  /*   py2 str */                                                  \
    X(UNICODE, 0x56)          /*   text unicode */                                             \
    X(BINUNICODE, 0x58)       /* + u32 length, UTF-8 */                                        \
    X(APPEND, 0x61)           /* + list.append(top) */                                         \
    X(BUILD, 0x62)            /* + set the state of the object below the top */                \
    X(GLOBAL, 0x63)           /* + "module\nname\n" through the allow-list */                  \
    X(DICT, 0x64)             /* + dict from the pairs above the mark */                       \
    X(APPENDS, 0x65)          /* + list.extend(items above the mark) */                        \
    X(GET, 0x67)              /*   text memo get */                                            \
    X(BINGET, 0x68)           /* + push memo[u8] */                                            \
    X(INST, 0x69)             /*   old-style instance */                                       \
    X(LONG_BINGET, 0x6a)      /* + push memo[u32] */                                           \
    X(LIST, 0x6c)             /* + list of the items above the mark */                         \
    X(OBJ, 0x6f)              /*   old-style instance */                                       \
    X(PUT, 0x70)              /*   text memo put */                                            \
    X(BINPUT, 0x71)           /* + memo[u8] = top */                                           \
    X(LONG_BINPUT, 0x72)      /* + memo[u32] = top */                                          \
    X(SETITEM, 0x73)          /* + dict[key] = value */                                        \
    X(TUPLE, 0x74)            /* + tuple of the items above the mark */                        \
    X(SETITEMS, 0x75)         /* + dict.update(pairs above the mark) */                        \
    X(EMPTY_DICT, 0x7d)       /* + {} */                                                       \
    X(EMPTY_LIST, 0x5d)       /* + [] */                                                       \
    X(EMPTY_TUPLE, 0x29)      /* + () */                                                       \
    X(BINFLOAT, 0x47)         /* + f64 big-endian */                                           \
    X(PROTO, 0x80)            /* + protocol number (2..5) */                                   \
    X(NEWOBJ, 0x81)           /* + cls.__new__(cls, *args) */                                  \
    X(EXT1, 0x82)             /*   extension registry */                                       \
    X(EXT2, 0x83)                                                                              \
    X(EXT4, 0x84)                                                                              \
    X(TUPLE1, 0x85)           /* + (a,) */                                                     \
    X(TUPLE2, 0x86)           /* + (a, b) */                                                   \
    X(TUPLE3, 0x87)           /* + (a, b, c) */                                                \
    X(NEWTRUE, 0x88)          /* + True */                                                     \
    X(NEWFALSE, 0x89)         /* + False */                                                    \
    X(LONG1, 0x8a)            /* + u8 length, two's complement LE (<= 8 bytes here) */         \
    X(LONG4, 0x8b)            /* + u32 length, two's complement LE (<= 8 bytes here) */        \
    X(BINBYTES, 0x42)         /*   bytes */                                                    \
    X(SHORT_BINBYTES, 0x43)   /*   bytes */                                                    \
    X(SHORT_BINUNICODE, 0x8c) /* + u8 length, UTF-8 */                                         \
    X(BINUNICODE8, 0x8d)      /* + u64 length, UTF-8 */                                        \
    X(BINBYTES8, 0x8e)        /*   bytes */                                                    \
    X(EMPTY_SET, 0x8f)        /*   set */                                                      \
    X(ADDITEMS, 0x90)         /*   set */                                                      \
    X(FROZENSET, 0x91)        /*   frozenset */                                                \
    X(NEWOBJ_EX, 0x92)        /*   cls.__new__ with kwargs */                                  \
    X(STACK_GLOBAL, 0x93)     /* + global from two strings on the stack */                     \
    X(MEMOIZE, 0x94)          /* + memo[len(memo)] = top */                                    \
    X(FRAME, 0x95)            /* + u64 frame length (ignored) */                               \
    X(BYTEARRAY8, 0x96)       /*   bytearray */                                                \
    X(NEXT_BUFFER, 0x97)      /*   out-of-band buffer */                                       \
    X(READONLY_BUFFER, 0x98)  /*   out-of-band buffer */

enum {
#define X(name, byte) OP_##name = byte,
    PK_OPCODES(X)
#undef X
};

static const char *op_name(int op) {
    switch (op) {
#define X(name, byte) \
    case byte: return #name;
        PK_OPCODES(X)
#undef X
    default: return NULL;
    }
}

/* ---- stack items ---- */

typedef enum pk_kind { PK_VAL, PK_GLOBAL, PK_STORAGE, PK_ARGS, PK_NEWOBJ } pk_kind;

/*      id                      module               name */
#define PK_GLOBALS(X)                                                           \
    X(G_CLASS,              "",                  "")                            \
    X(G_REBUILD_TENSOR,     "torch._utils",      "_rebuild_tensor_v2")          \
    X(G_REBUILD_PARAM,      "torch._utils",      "_rebuild_parameter")          \
    X(G_REBUILD_PARAM_STATE,"torch._utils",      "_rebuild_parameter_with_state") \
    X(G_ORDERED_DICT,       "collections",       "OrderedDict")                 \
    X(G_DEVICE,             "torch",             "device")                      \
    X(G_SIZE,               "torch",             "Size")                        \
    X(G_INTLIST,            "torch.jit._pickle", "build_intlist")               \
    X(G_DOUBLELIST,         "torch.jit._pickle", "build_doublelist")            \
    X(G_BOOLLIST,           "torch.jit._pickle", "build_boollist")              \
    X(G_TENSORLIST,         "torch.jit._pickle", "build_tensorlist")            \
    X(G_RESTORE_TYPE_TAG,   "torch.jit._pickle", "restore_type_tag")       \
    X(G_COMPLEX,            "builtins",          "complex")

typedef enum pk_global {
#define X(id, m, n) id,
    PK_GLOBALS(X)
#undef X
    G__COUNT
} pk_global;

static const struct {
    const char *module, *name;
} GLOBALS[G__COUNT] = {
#define X(id, m, n) {m, n},
    PK_GLOBALS(X)
#undef X
};

/* Names in module torch that stand for c10 enum integers. */
static const struct {
    const char *name;
    int value;
} TORCH_ENUMS[] = {
    /* ScalarType, through the storage classes (c10/core/ScalarType.h) */
    {"ByteStorage", 0}, {"CharStorage", 1}, {"ShortStorage", 2}, {"IntStorage", 3},
    {"LongStorage", 4}, {"HalfStorage", 5}, {"FloatStorage", 6}, {"DoubleStorage", 7},
    {"ComplexHalfStorage", 8}, {"ComplexFloatStorage", 9}, {"ComplexDoubleStorage", 10},
    {"BoolStorage", 11}, {"QInt8Storage", 12}, {"QUInt8Storage", 13}, {"QInt32Storage", 14},
    {"BFloat16Storage", 15}, {"QUInt4x2Storage", 16}, {"QUInt2x4Storage", 17},
    /* ScalarType, through torch.dtype objects (Python pickles `torch.float16`) */
    {"uint8", 0}, {"int8", 1}, {"int16", 2}, {"short", 2}, {"int32", 3}, {"int", 3},
    {"int64", 4}, {"long", 4}, {"float16", 5}, {"half", 5}, {"float32", 6}, {"float", 6},
    {"float64", 7}, {"double", 7}, {"complex32", 8}, {"chalf", 8}, {"complex64", 9},
    {"cfloat", 9}, {"complex128", 10}, {"cdouble", 10}, {"bool", 11}, {"qint8", 12},
    {"quint8", 13}, {"qint32", 14}, {"bfloat16", 15}, {"quint4x2", 16}, {"quint2x4", 17},
    /* QScheme */
    {"per_tensor_affine", 0}, {"per_channel_affine", 1}, {"per_tensor_symmetric", 2},
    {"per_channel_symmetric", 3}, {"per_channel_affine_float_qparams", 4},
    /* Layout */
    {"strided", 0}, {"sparse_coo", 1}, {"sparse_csr", 2}, {"_mkldnn", 3},
    {"sparse_csc", 4}, {"sparse_bsr", 5}, {"sparse_bsc", 6},
    /* MemoryFormat */
    {"contiguous_format", 0}, {"preserve_format", 1}, {"channels_last", 2}, {"channels_last_3d", 3},
};

typedef struct pk_stor {
    int rc;
    ct_storage *s;
    int scalar_type;
    int64_t numel;
    char key[];
} pk_stor;

typedef struct pk_args pk_args;

typedef struct pk_item {
    uint8_t kind; /* pk_kind */
    uint8_t g;    /* PK_GLOBAL: pk_global */
    union {
        cv_value v;    /* PK_VAL */
        cts_type *cls; /* PK_GLOBAL G_CLASS, PK_NEWOBJ (owned) */
        pk_stor *st;   /* PK_STORAGE */
        pk_args *args; /* PK_ARGS */
    } u;
} pk_item;

struct pk_args {
    int rc;
    uint32_t depth;
    size_t n;
    pk_item items[];
};

static void item_release(pk_item it);

static void args_release(pk_args *a) {
    if (--a->rc) return;
    for (size_t i = 0; i < a->n; i++) item_release(a->items[i]);
    free(a);
}

static void item_release(pk_item it) {
    switch (it.kind) {
    case PK_VAL: cv_release(it.u.v); break;
    case PK_GLOBAL:
        if (it.g == G_CLASS) cts_type_release(it.u.cls);
        break;
    case PK_NEWOBJ: cts_type_release(it.u.cls); break;
    case PK_STORAGE:
        if (--it.u.st->rc == 0) {
            ct_storage_release(it.u.st->s);
            free(it.u.st);
        }
        break;
    case PK_ARGS: args_release(it.u.args); break;
    }
}

static pk_item item_copy(pk_item it) {
    switch (it.kind) {
    case PK_VAL: cv_retain(it.u.v); break;
    case PK_GLOBAL:
        if (it.g == G_CLASS) cts_type_retain(it.u.cls);
        break;
    case PK_NEWOBJ: cts_type_retain(it.u.cls); break;
    case PK_STORAGE: it.u.st->rc++; break;
    case PK_ARGS: it.u.args->rc++; break;
    }
    return it;
}

static pk_item val_item(cv_value v) {
    pk_item it;
    memset(&it, 0, sizeof it);
    it.kind = PK_VAL;
    it.u.v = v;
    return it;
}

/* ---- the machine ---- */

typedef struct U {
    const uint8_t *p;
    size_t len, pos, at; /* at: offset of the current opcode */
    const cts_unpickler_cfg *cfg;
    cts_err *err;
    size_t max_depth, max_stack, max_memo;

    pk_item *stack;
    size_t sp, scap;
    size_t *marks;
    size_t nmarks, mcap;
    size_t base; /* items below this belong to outer marks */

    pk_item *memo;     /* memo entries in insertion order */
    size_t nmemo, memocap;
    cts_ptrmap memo_ix; /* memo id + 1 -> index into memo */

    cts_ptrmap info; /* container address -> depth | SEALED */

    struct stor_cache {
        char *key;
        ct_storage *s;
    } *stors;
    size_t nstors, stors_cap;
    cts_map stor_ix; /* key -> index + 1 */

    struct type_cache {
        char *annot;
        cts_type *t;
    } *types;
    size_t ntypes, types_cap;
    cts_map type_ix;
} U;

#define SEALED ((uint64_t)1 << 32)

static int fail(U *u, const char *fmt, ...) CTS_PRINTF(2, 3);
static int fail(U *u, const char *fmt, ...) {
    char msg[CTS_ERR_MSG_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cts_err_set(u->err, "unpickler: %s at byte %zu", msg, u->at);
}

/* Prefixes an error set by another layer or a hook. */
static int wrap(U *u, const char *what) {
    return cts_err_prefix(u->err, "unpickler: %s at byte %zu: ", what, u->at);
}

static int oom(U *u, const char *what) { return fail(u, "out of memory (%s)", what); }

static const char *item_desc(pk_item it, char *buf, size_t n) {
    switch (it.kind) {
    case PK_VAL: return cv_tag_name(it.u.v.tag);
    case PK_GLOBAL:
        if (it.g == G_CLASS) snprintf(buf, n, "class '%s'", it.u.cls->cls ? it.u.cls->cls->qualname : "?");
        else snprintf(buf, n, "global '%s %s'", GLOBALS[it.g].module, GLOBALS[it.g].name);
        return buf;
    case PK_STORAGE: return "storage";
    case PK_ARGS: return "tuple holding a storage";
    case PK_NEWOBJ: return "object awaiting BUILD";
    }
    return "?";
}

/* ---- stack ---- */

static int push(U *u, pk_item it) {
    if (u->sp >= u->max_stack) {
        item_release(it);
        return fail(u, "stack grows beyond %zu items", u->max_stack);
    }
    if (u->sp == u->scap) {
        size_t nc = u->scap ? u->scap * 2 : 64;
        pk_item *p = realloc(u->stack, nc * sizeof *p);
        if (!p) {
            item_release(it);
            return oom(u, "stack");
        }
        u->stack = p;
        u->scap = nc;
    }
    u->stack[u->sp++] = it;
    return 0;
}

static int push_val(U *u, cv_value v) { return push(u, val_item(v)); }

/* Requires n items above the innermost mark. */
static int need_items(U *u, size_t n, int op) {
    if (u->sp - u->base < n)
        return fail(u, "stack underflow: %s needs %zu item%s, %zu available", op_name(op), n, n == 1 ? "" : "s",
                    u->sp - u->base);
    return 0;
}

static pk_item pop(U *u) { return u->stack[--u->sp]; }

static int pop_mark(U *u, int op, size_t *base) {
    if (!u->nmarks) return fail(u, "%s without a MARK", op_name(op));
    *base = u->marks[--u->nmarks];
    u->base = u->nmarks ? u->marks[u->nmarks - 1] : 0;
    return 0;
}

/* ---- reading ---- */

static int need_bytes(U *u, size_t n, int op) {
    if (u->len - u->pos < n)
        return fail(u, "pickle is truncated: %s needs %zu bytes, %zu left", op_name(op), n, u->len - u->pos);
    return 0;
}

static uint64_t rd_le(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* ---- container bookkeeping ---- */

static bool is_container(cv_value v) {
    return (v.tag == CV_LIST || v.tag == CV_DICT || v.tag == CV_TUPLE || v.tag == CV_OBJECT) && v.u.rc;
}

static uint32_t depth_of(U *u, cv_value v) {
    if (!is_container(v)) return 0;
    uint64_t *e = cts_ptrmap_get(&u->info, cts_ptrkey(v.u.rc));
    return e ? (uint32_t)*e : 1;
}

static uint32_t item_depth(U *u, pk_item it) {
    if (it.kind == PK_VAL) return depth_of(u, it.u.v);
    if (it.kind == PK_ARGS) return it.u.args->depth;
    return 0;
}

/* Records a container that just entered the machine. */
static int note_new(U *u, cv_value v, uint32_t depth, bool sealed) {
    if (!is_container(v)) return 0;
    if (cts_ptrmap_put(&u->info, cts_ptrkey(v.u.rc), depth | (sealed ? SEALED : 0))) return oom(u, "memo");
    return 0;
}

/* child is being placed inside a parent whose depth is *depth: checks the
 * nesting limit, raises *depth, and seals the child. */
static int adopt(U *u, uint32_t child_depth, cv_value *child, uint32_t *depth) {
    if (child_depth + 1 > u->max_depth) return fail(u, "containers nested deeper than %zu levels", u->max_depth);
    if (child_depth + 1 > *depth) *depth = child_depth + 1;
    if (child && is_container(*child)) {
        uint64_t *e = cts_ptrmap_get(&u->info, cts_ptrkey(child->u.rc));
        if (e) *e |= SEALED;
    }
    return 0;
}

/* The mutable container at stack index i, for APPEND(S)/SETITEM(S). */
static int mutable_target(U *u, size_t i, cv_tag tag, int op, uint64_t **entry) {
    pk_item *it = &u->stack[i];
    if (it->kind != PK_VAL || it->u.v.tag != tag) {
        char b[160];
        return fail(u, "%s on a %s (expected a %s)", op_name(op), item_desc(*it, b, sizeof b), cv_tag_name(tag));
    }
    *entry = cts_ptrmap_get(&u->info, cts_ptrkey(it->u.v.u.rc));
    if (!*entry || (**entry & SEALED))
        return fail(u, "%s on a %s that is already part of another value (recursive structures are not "
                       "supported)", op_name(op), cv_tag_name(tag));
    return 0;
}

static int require_vals(U *u, size_t from, int op) {
    for (size_t i = from; i < u->sp; i++)
        if (u->stack[i].kind != PK_VAL) {
            char b[160];
            return fail(u, "%s: a %s cannot be used as a value", op_name(op), item_desc(u->stack[i], b, sizeof b));
        }
    return 0;
}

/* ---- containers ---- */

static int make_tuple(U *u, size_t from, int op) {
    size_t n = u->sp - from;
    bool vals = true;
    uint32_t depth = 1;
    for (size_t i = from; i < u->sp; i++) {
        pk_item *it = &u->stack[i];
        if (it->kind == PK_NEWOBJ)
            return fail(u, "%s: an object awaiting BUILD cannot be used as a value", op_name(op));
        if (it->kind != PK_VAL) vals = false;
        if (adopt(u, item_depth(u, *it), it->kind == PK_VAL ? &it->u.v : NULL, &depth)) return -1;
    }
    if (vals) {
        cv_value *tmp = malloc((n ? n : 1) * sizeof *tmp);
        if (!tmp) return oom(u, "tuple");
        for (size_t i = 0; i < n; i++) tmp[i] = u->stack[from + i].u.v;
        u->sp = from;
        cv_value t;
        int rc = cv_tuple_new(NULL, n, tmp, &t, u->err); /* owns the items even on failure */
        free(tmp);
        if (rc) return wrap(u, "tuple");
        if (note_new(u, t, depth, false)) {
            cv_release(t);
            return -1;
        }
        return push_val(u, t);
    }
    pk_args *a = malloc(sizeof *a + n * sizeof(pk_item));
    if (!a) return oom(u, "tuple");
    a->rc = 1;
    a->depth = depth;
    a->n = n;
    memcpy(a->items, &u->stack[from], n * sizeof(pk_item));
    u->sp = from;
    pk_item it;
    memset(&it, 0, sizeof it);
    it.kind = PK_ARGS;
    it.u.args = a;
    return push(u, it);
}

static int new_list(U *u, cv_value *out) {
    if (cv_list_new(T_ANY, 0, out, u->err)) return wrap(u, "list");
    if (note_new(u, *out, 1, false)) {
        cv_release(*out);
        return -1;
    }
    return 0;
}

static int new_dict(U *u, cv_value *out) {
    if (cv_dict_new(T_ANY, T_ANY, out, u->err)) return wrap(u, "dict");
    if (note_new(u, *out, 1, false)) {
        cv_release(*out);
        return -1;
    }
    return 0;
}

/* Moves stack items [from, sp) into the list at stack index li. */
static int list_extend(U *u, size_t li, size_t from, int op) {
    uint64_t *e;
    if (mutable_target(u, li, CV_LIST, op, &e) || require_vals(u, from, op)) return -1;
    uint32_t depth = (uint32_t)*e;
    cv_list *target = u->stack[li].u.v.u.l;
    for (size_t i = from; i < u->sp; i++) {
        /* an unsealed list is inside nothing, so only itself could close a cycle */
        if (u->stack[i].u.v.tag == CV_LIST && u->stack[i].u.v.u.l == target)
            return fail(u, "%s of a list into itself (recursive structures are not supported)", op_name(op));
        if (adopt(u, depth_of(u, u->stack[i].u.v), &u->stack[i].u.v, &depth)) return -1;
    }
    *e = (*e & SEALED) | depth;
    cv_list *l = u->stack[li].u.v.u.l;
    for (size_t i = from; i < u->sp; i++) {
        cv_value v = u->stack[i].u.v;
        u->stack[i].u.v = cv_none();
        if (cv_list_push(l, v, u->err)) return wrap(u, "list");
    }
    for (size_t i = from; i < u->sp; i++) item_release(u->stack[i]);
    u->sp = from;
    return 0;
}

/* Moves key/value pairs [from, sp) into the dict at stack index di. */
static int dict_update(U *u, size_t di, size_t from, int op) {
    uint64_t *e;
    if (mutable_target(u, di, CV_DICT, op, &e) || require_vals(u, from, op)) return -1;
    if ((u->sp - from) % 2) return fail(u, "%s with an odd number of items (%zu)", op_name(op), u->sp - from);
    uint32_t depth = (uint32_t)*e;
    for (size_t i = from; i < u->sp; i++) {
        cv_value *v = &u->stack[i].u.v;
        if ((i - from) % 2 == 0 && !cv_hashable(*v))
            return fail(u, "%s: a %s cannot be a dict key", op_name(op), cv_tag_name(v->tag));
        if (v->tag == CV_DICT && v->u.d == u->stack[di].u.v.u.d)
            return fail(u, "%s of a dict into itself (recursive structures are not supported)", op_name(op));
        if (adopt(u, depth_of(u, *v), v, &depth)) return -1;
    }
    *e = (*e & SEALED) | depth;
    cv_dict *d = u->stack[di].u.v.u.d;
    for (size_t i = from; i < u->sp; i += 2) {
        cv_value k = u->stack[i].u.v, v = u->stack[i + 1].u.v;
        u->stack[i].u.v = cv_none();
        u->stack[i + 1].u.v = cv_none();
        if (cv_dict_set(d, k, v, u->err)) return wrap(u, "dict");
    }
    u->sp = from;
    return 0;
}

/* ---- memo ---- */

static int memo_put(U *u, uint64_t id) {
    if (u->sp == u->base) return fail(u, "memo store with an empty stack");
    pk_item it = item_copy(u->stack[u->sp - 1]);
    uint64_t *ix = cts_ptrmap_get(&u->memo_ix, id + 1);
    if (ix) {
        item_release(u->memo[*ix]);
        u->memo[*ix] = it;
        return 0;
    }
    if (u->nmemo >= u->max_memo) {
        item_release(it);
        return fail(u, "memo grows beyond %zu entries", u->max_memo);
    }
    if (u->nmemo == u->memocap) {
        size_t nc = u->memocap ? u->memocap * 2 : 64;
        pk_item *p = realloc(u->memo, nc * sizeof *p);
        if (!p) {
            item_release(it);
            return oom(u, "memo");
        }
        u->memo = p;
        u->memocap = nc;
    }
    if (cts_ptrmap_put(&u->memo_ix, id + 1, u->nmemo)) {
        item_release(it);
        return oom(u, "memo");
    }
    u->memo[u->nmemo++] = it;
    return 0;
}

static int memo_get(U *u, uint64_t id) {
    uint64_t *ix = cts_ptrmap_get(&u->memo_ix, id + 1);
    if (!ix) return fail(u, "memo id %llu was never stored", (unsigned long long)id);
    return push(u, item_copy(u->memo[*ix]));
}

/* ---- globals ---- */

static int push_global(U *u, pk_global g, cts_type *cls) {
    pk_item it;
    memset(&it, 0, sizeof it);
    it.kind = PK_GLOBAL;
    it.g = (uint8_t)g;
    it.u.cls = cls;
    return push(u, it);
}

static bool is_torch_module(const char *m) {
    return strcmp(m, "__torch__") == 0 || strncmp(m, "__torch__.", 10) == 0;
}

static int resolve_global(U *u, const char *mod, const char *name) {
    for (int g = 1; g < G__COUNT; g++)
        if (strcmp(mod, GLOBALS[g].module) == 0 && strcmp(name, GLOBALS[g].name) == 0)
            return push_global(u, (pk_global)g, NULL);
    if (strcmp(mod, "torch") == 0) {
        for (size_t i = 0; i < sizeof TORCH_ENUMS / sizeof *TORCH_ENUMS; i++)
            if (strcmp(name, TORCH_ENUMS[i].name) == 0) return push_val(u, cv_int(TORCH_ENUMS[i].value));
        size_t n = strlen(name);
        if (n > 7 && strcmp(name + n - 7, "Storage") == 0)
            return fail(u, "unsupported storage type 'torch %s'", name);
    }
    if (is_torch_module(mod)) {
        const cts_unpickler_cfg *c = u->cfg;
        if (!c || !c->resolve_class) return fail(u, "class '%s.%s' found but no class resolver was given", mod, name);
        cts_type *t = c->resolve_class(c->ctx, mod, name, u->err);
        if (!t) {
            char what[300];
            snprintf(what, sizeof what, "class '%.140s.%.140s'", mod, name);
            return wrap(u, what);
        }
        if (t->kind != TY_CLASS) {
            cts_type_release(t);
            return fail(u, "'%s.%s' does not name a class", mod, name);
        }
        return push_global(u, G_CLASS, t);
    }
    if (strcmp(mod, "torch._utils") == 0 && strcmp(name, "_rebuild_qtensor") == 0)
        return fail(u, "quantized tensors are not supported (global 'torch._utils _rebuild_qtensor')");
    if (strcmp(mod, "torch._utils") == 0 && strncmp(name, "_rebuild_sparse", 15) == 0)
        return fail(u, "sparse tensors are not supported (global 'torch._utils %s')", name);
    if ((strcmp(mod, "torch.jit._pickle") == 0 && strcmp(name, "build_tensor_from_id") == 0) ||
        (strcmp(mod, "__main__") == 0 && (strcmp(name, "TensorID") == 0 || strcmp(name, "IntList") == 0)))
        return fail(u, "tensor tables are not supported (global '%s %s')", mod, name);
    return fail(u, "unknown global '%.200s %.200s'", mod, name);
}

/* GLOBAL's "module\nname\n" argument. */
static int op_global(U *u) {
    const char *s[2];
    size_t n[2];
    for (int k = 0; k < 2; k++) {
        const uint8_t *start = u->p + u->pos, *nl = memchr(start, '\n', u->len - u->pos);
        if (!nl) return fail(u, "pickle is truncated: GLOBAL name has no end of line");
        s[k] = (const char *)start;
        n[k] = (size_t)(nl - start);
        if (memchr(start, 0, n[k])) return fail(u, "GLOBAL name contains a NUL byte");
        u->pos += n[k] + 1;
    }
    char *buf = malloc(n[0] + n[1] + 2);
    if (!buf) return oom(u, "global name");
    memcpy(buf, s[0], n[0]);
    buf[n[0]] = 0;
    memcpy(buf + n[0] + 1, s[1], n[1]);
    buf[n[0] + n[1] + 1] = 0;
    int rc = resolve_global(u, buf, buf + n[0] + 1);
    free(buf);
    return rc;
}

static int op_stack_global(U *u) {
    if (need_items(u, 2, OP_STACK_GLOBAL)) return -1;
    pk_item name = u->stack[u->sp - 1], mod = u->stack[u->sp - 2];
    if (name.kind != PK_VAL || name.u.v.tag != CV_STR || mod.kind != PK_VAL || mod.u.v.tag != CV_STR)
        return fail(u, "STACK_GLOBAL needs two strings");
    if (memchr(name.u.v.u.s->data, 0, name.u.v.u.s->len) || memchr(mod.u.v.u.s->data, 0, mod.u.v.u.s->len))
        return fail(u, "STACK_GLOBAL name contains a NUL byte");
    u->sp -= 2;
    int rc = resolve_global(u, mod.u.v.u.s->data, name.u.v.u.s->data);
    item_release(name);
    item_release(mod);
    return rc;
}

/* ---- argument tuples ---- */

static size_t arg_len(const pk_item *a) {
    if (a->kind == PK_ARGS) return a->u.args->n;
    if (a->kind == PK_VAL && a->u.v.tag == CV_TUPLE) return a->u.v.u.tu->len;
    return (size_t)-1;
}

/* Borrowed view of argument i (i < arg_len). */
static pk_item arg_at(const pk_item *a, size_t i) {
    if (a->kind == PK_ARGS) return a->u.args->items[i];
    return val_item(a->u.v.u.tu->items[i]);
}

static int arg_count(U *u, const pk_item *a, const char *fn, size_t lo, size_t hi) {
    size_t n = arg_len(a);
    if (n == (size_t)-1) {
        char b[160];
        return fail(u, "%s expects an argument tuple, got a %s", fn, item_desc(*a, b, sizeof b));
    }
    if (n < lo || n > hi) {
        if (lo == hi) return fail(u, "%s expects %zu argument%s, got %zu", fn, lo, lo == 1 ? "" : "s", n);
        return fail(u, "%s expects %zu to %zu arguments, got %zu", fn, lo, hi, n);
    }
    return 0;
}

static int arg_val(U *u, const pk_item *a, size_t i, cv_tag tag, const char *fn, cv_value *out) {
    pk_item it = arg_at(a, i);
    if (it.kind != PK_VAL || it.u.v.tag != tag) {
        char b[160];
        return fail(u, "%s: argument %zu must be a %s, got a %s", fn, i + 1, cv_tag_name(tag),
                    item_desc(it, b, sizeof b));
    }
    *out = it.u.v;
    return 0;
}

/* A tuple of ints (sizes or strides) as argument i. */
static int arg_ints(U *u, const pk_item *a, size_t i, const char *fn, int64_t *dst, int *ndim) {
    cv_value t;
    if (arg_val(u, a, i, CV_TUPLE, fn, &t)) return -1;
    if (t.u.tu->len > CT_MAX_DIMS)
        return fail(u, "%s: tensor of %zu dimensions (cts supports at most %d)", fn, t.u.tu->len, CT_MAX_DIMS);
    for (size_t k = 0; k < t.u.tu->len; k++) {
        if (t.u.tu->items[k].tag != CV_INT)
            return fail(u, "%s: argument %zu must hold ints, found a %s", fn, i + 1, cv_tag_name(t.u.tu->items[k].tag));
        dst[k] = t.u.tu->items[k].u.i;
    }
    *ndim = (int)t.u.tu->len;
    return 0;
}

/* ---- tensors ---- */

static int scalar_type_size(int st) {
    static const int sizes[] = {1, 1, 2, 4, 8, 2, 4, 8, 4, 8, 16, 1, 1, 1, 4, 2, 1, 1};
    return st >= 0 && st < (int)(sizeof sizes / sizeof *sizes) ? sizes[st] : 0;
}

static const char *scalar_type_name(int st) {
    const char *n = ct_scalar_type_name_any(st);
    return n ? n : "unknown";
}

static bool location_ok(const char *loc) {
    if (strcmp(loc, "cpu") == 0 || strcmp(loc, "cuda") == 0) return true;
    if (strncmp(loc, "cuda:", 5) == 0 && loc[5]) {
        for (const char *p = loc + 5; *p; p++)
            if (*p < '0' || *p > '9') return false;
        return true;
    }
    return false;
}

/* Storage for `key`, through the cache and the caller's hook. */
static ct_storage *get_storage(U *u, const char *key, int st, int64_t numel) {
    if (numel == 0) {
        ct_storage *s = ct_storage_new(0, false, u->err);
        if (!s) wrap(u, "storage");
        return s;
    }
    void *ix = cts_map_get(&u->stor_ix, key);
    if (ix) {
        ct_storage *s = u->stors[(uintptr_t)ix - 1].s;
        ct_storage_retain(s);
        return s;
    }
    const cts_unpickler_cfg *c = u->cfg;
    if (!c || !c->load_storage) {
        fail(u, "pickle refers to storage '%s' but no storage loader was given", key);
        return NULL;
    }
    ct_storage *s = c->load_storage(c->ctx, key, st, numel, u->err);
    if (!s) {
        char what[200];
        snprintf(what, sizeof what, "storage '%.150s'", key);
        wrap(u, what);
        return NULL;
    }
    if (u->nstors == u->stors_cap) {
        size_t nc = u->stors_cap ? u->stors_cap * 2 : 16;
        struct stor_cache *p = realloc(u->stors, nc * sizeof *p);
        if (!p) goto nomem;
        u->stors = p;
        u->stors_cap = nc;
    }
    char *k = malloc(strlen(key) + 1);
    if (!k) goto nomem;
    strcpy(k, key);
    u->stors[u->nstors] = (struct stor_cache){k, s};
    if (cts_map_put(&u->stor_ix, k, (void *)(uintptr_t)(u->nstors + 1))) {
        free(k);
        goto nomem;
    }
    u->nstors++;
    ct_storage_retain(s);
    return s;
nomem:
    ct_storage_release(s);
    oom(u, "storage cache");
    return NULL;
}

/* BINPERSID: ('storage', scalar type, key, location, numel) -> storage item. */
static int op_persid(U *u) {
    if (need_items(u, 1, OP_BINPERSID)) return -1;
    pk_item pid = pop(u);
    int rc = -1;
    cv_value t = pid.u.v;
    if (pid.kind != PK_VAL || t.tag != CV_TUPLE || t.u.tu->len != 5 || t.u.tu->items[0].tag != CV_STR) {
        char b[160];
        fail(u, "persistent id must be a 5-tuple ('storage', dtype, key, location, numel), got a %s",
             item_desc(pid, b, sizeof b));
        goto out;
    }
    cv_value *f = t.u.tu->items;
    if (strcmp(f[0].u.s->data, "storage") != 0) {
        fail(u, "persistent id of kind '%.100s' is not supported", f[0].u.s->data);
        goto out;
    }
    if (f[1].tag != CV_INT || f[2].tag != CV_STR || f[3].tag != CV_STR || f[4].tag != CV_INT) {
        fail(u, "persistent id fields must be (str, storage type, str, str, int), got (str, %s, %s, %s, %s)",
             cv_tag_name(f[1].tag), cv_tag_name(f[2].tag), cv_tag_name(f[3].tag), cv_tag_name(f[4].tag));
        goto out;
    }
    int st = (int)f[1].u.i;
    const char *key = f[2].u.s->data, *loc = f[3].u.s->data;
    int64_t numel = f[4].u.i;
    if (f[1].u.i != st || !ct_dtype_valid(st)) {
        fail(u, "storage '%.100s' has dtype %s, which cts does not support", key, scalar_type_name(st));
        goto out;
    }
    if (!location_ok(loc)) {
        fail(u, "storage '%.100s' is on device '%.60s' (only cpu and cuda storages can be loaded)", key, loc);
        goto out;
    }
    int isz = scalar_type_size(st);
    if (numel < 0 || numel > INT64_MAX / isz) {
        fail(u, "storage '%.100s' has an invalid element count %lld", key, (long long)numel);
        goto out;
    }
    ct_storage *s = get_storage(u, key, st, numel);
    if (!s) goto out;
    if ((uint64_t)numel * (uint64_t)isz > s->nbytes) {
        fail(u, "storage '%.100s' holds %zu bytes, but its persistent id needs %lld %s elements (%lld bytes)", key,
             s->nbytes, (long long)numel, scalar_type_name(st), (long long)(numel * isz));
        ct_storage_release(s);
        goto out;
    }
    size_t kl = strlen(key);
    pk_stor *ps = malloc(sizeof *ps + kl + 1);
    if (!ps) {
        ct_storage_release(s);
        oom(u, "storage");
        goto out;
    }
    ps->rc = 1;
    ps->s = s;
    ps->scalar_type = st;
    ps->numel = numel;
    memcpy(ps->key, key, kl + 1);
    pk_item it;
    memset(&it, 0, sizeof it);
    it.kind = PK_STORAGE;
    it.u.st = ps;
    rc = push(u, it);
out:
    item_release(pid);
    return rc;
}

static int rebuild_tensor(U *u, const pk_item *a, cv_value *out) {
    const char *fn = "_rebuild_tensor_v2";
    if (arg_count(u, a, fn, 6, 7)) return -1;
    pk_item sit = arg_at(a, 0);
    if (sit.kind != PK_STORAGE) {
        char b[160];
        return fail(u, "%s: argument 1 must be a storage, got a %s", fn, item_desc(sit, b, sizeof b));
    }
    pk_stor *st = sit.u.st;
    cv_value off, rg;
    int64_t sizes[CT_MAX_DIMS], strides[CT_MAX_DIMS];
    int nd, nd2;
    if (arg_val(u, a, 1, CV_INT, fn, &off) || arg_ints(u, a, 2, fn, sizes, &nd) ||
        arg_ints(u, a, 3, fn, strides, &nd2) || arg_val(u, a, 4, CV_BOOL, fn, &rg))
        return -1;
    if (nd != nd2) return fail(u, "%s: %d sizes but %d strides", fn, nd, nd2);
    if (arg_len(a) == 7) {
        pk_item m = arg_at(a, 6);
        bool empty = m.kind == PK_VAL && (m.u.v.tag == CV_NONE || (m.u.v.tag == CV_DICT && m.u.v.u.d->len == 0));
        if (!empty) return fail(u, "%s: tensors with conj/neg metadata are not supported", fn);
    }
    ct_tensor *t = ct_tensor_from_storage(st->s, (ct_dtype)st->scalar_type, off.u.i, nd, sizes, strides, u->err);
    if (!t) {
        char what[200];
        snprintf(what, sizeof what, "tensor over storage '%.150s'", st->key);
        return wrap(u, what);
    }
    t->requires_grad = rg.u.b;
    *out = cv_tensor(t);
    return 0;
}

/* ---- types for restore_type_tag ---- */

static cts_type *type_for(U *u, const char *annot) {
    void *ix = cts_map_get(&u->type_ix, annot);
    if (ix) return u->types[(uintptr_t)ix - 1].t;
    const cts_unpickler_cfg *c = u->cfg;
    cts_type *t = c && c->parse_type
                      ? c->parse_type(c->ctx, annot, u->err)
                      : cts_parse_annotation(annot, c ? c->resolve_class : NULL, c ? c->ctx : NULL, u->err);
    if (!t) {
        wrap(u, "restore_type_tag");
        return NULL;
    }
    if (u->ntypes == u->types_cap) {
        size_t nc = u->types_cap ? u->types_cap * 2 : 16;
        struct type_cache *p = realloc(u->types, nc * sizeof *p);
        if (!p) goto nomem;
        u->types = p;
        u->types_cap = nc;
    }
    char *k = malloc(strlen(annot) + 1);
    if (!k) goto nomem;
    strcpy(k, annot);
    u->types[u->ntypes] = (struct type_cache){k, t};
    if (cts_map_put(&u->type_ix, k, (void *)(uintptr_t)(u->ntypes + 1))) {
        free(k);
        goto nomem;
    }
    u->ntypes++;
    return t;
nomem:
    cts_type_release(t);
    oom(u, "type cache");
    return NULL;
}

static void set_type(cts_type **slot, cts_type *t) {
    cts_type_retain(t);
    cts_type_release(*slot);
    *slot = t;
}

static int restore_type_tag(U *u, const pk_item *a, cv_value *out) {
    const char *fn = "restore_type_tag";
    if (arg_count(u, a, fn, 2, 2)) return -1;
    pk_item c = arg_at(a, 0);
    cv_value annot;
    if (arg_val(u, a, 1, CV_STR, fn, &annot)) return -1;
    if (c.kind != PK_VAL || (c.u.v.tag != CV_LIST && c.u.v.tag != CV_DICT)) {
        char b[160];
        return fail(u, "%s: argument 1 must be a list or dict, got a %s", fn, item_desc(c, b, sizeof b));
    }
    if (memchr(annot.u.s->data, 0, annot.u.s->len)) return fail(u, "%s: type contains a NUL byte", fn);
    cts_type *t = type_for(u, annot.u.s->data);
    if (!t) return -1;
    if (c.u.v.tag == CV_LIST) {
        if (t->kind != TY_LIST) return fail(u, "%s: a list cannot have type '%.200s'", fn, annot.u.s->data);
        set_type(&c.u.v.u.l->elem, t->elems[0]);
    } else {
        if (t->kind != TY_DICT) return fail(u, "%s: a dict cannot have type '%.200s'", fn, annot.u.s->data);
        set_type(&c.u.v.u.d->key_type, t->elems[0]);
        set_type(&c.u.v.u.d->val_type, t->elems[1]);
    }
    cv_retain(c.u.v);
    *out = c.u.v;
    return 0;
}

static int build_typed_list(U *u, const pk_item *a, pk_global g, cv_value *out) {
    const char *fn = GLOBALS[g].name;
    cv_value l;
    if (arg_count(u, a, fn, 1, 1) || arg_val(u, a, 0, CV_LIST, fn, &l)) return -1;
    cv_tag want = g == G_INTLIST ? CV_INT : g == G_DOUBLELIST ? CV_FLOAT : g == G_BOOLLIST ? CV_BOOL : CV_TENSOR;
    cts_type *t = g == G_INTLIST ? T_INT : g == G_DOUBLELIST ? T_FLOAT : g == G_BOOLLIST ? T_BOOL : T_TENSOR;
    for (size_t i = 0; i < l.u.l->len; i++)
        if (l.u.l->items[i].tag != want)
            return fail(u, "%s: element %zu is a %s", fn, i, cv_tag_name(l.u.l->items[i].tag));
    set_type(&l.u.l->elem, t);
    cv_retain(l);
    *out = l;
    return 0;
}

static int build_device(U *u, const pk_item *a, cv_value *out) {
    const char *fn = "torch.device";
    cv_value s, ix = cv_int(-1);
    if (arg_count(u, a, fn, 1, 2) || arg_val(u, a, 0, CV_STR, fn, &s)) return -1;
    if (arg_len(a) == 2 && arg_val(u, a, 1, CV_INT, fn, &ix)) return -1;
    cts_err perr = {0};
    cv_value dev;
    if (cv_device_parse(s.u.s->data, s.u.s->len, &dev, &perr)) return fail(u, "torch.device: %s", perr.msg);
    long index = dev.u.dev.index;
    int type = dev.u.dev.type;
    if (arg_len(a) == 2) {
        if (ix.u.i < -1 || ix.u.i > 32767 || index >= 0) return fail(u, "invalid device index %lld", (long long)ix.u.i);
        index = (long)ix.u.i;
    }
    *out = cv_device(type, (int)index);
    return 0;
}

/* ---- REDUCE / NEWOBJ / BUILD ---- */

static int op_reduce(U *u) {
    if (need_items(u, 2, OP_REDUCE)) return -1;
    pk_item arg = pop(u), fn = pop(u);
    cv_value out = cv_none();
    int rc = -1;
    if (fn.kind != PK_GLOBAL) {
        char b[160];
        fail(u, "REDUCE needs a global to call, found a %s", item_desc(fn, b, sizeof b));
        goto done;
    }
    switch ((pk_global)fn.g) {
    case G_REBUILD_TENSOR: rc = rebuild_tensor(u, &arg, &out); break;
    case G_REBUILD_PARAM:
    case G_REBUILD_PARAM_STATE: {
        const char *nm = GLOBALS[fn.g].name;
        cv_value t, rg;
        size_t n = fn.g == G_REBUILD_PARAM ? 3 : 4;
        if (arg_count(u, &arg, nm, n, n) || arg_val(u, &arg, 0, CV_TENSOR, nm, &t) ||
            arg_val(u, &arg, 1, CV_BOOL, nm, &rg))
            break;
        if (!t.u.t) {
            fail(u, "%s of an undefined tensor", nm);
            break;
        }
        t.u.t->requires_grad = rg.u.b;
        cv_retain(t);
        out = t;
        rc = 0;
        break;
    }
    case G_ORDERED_DICT:
        if (arg_len(&arg) != 0) {
            fail(u, "OrderedDict with constructor arguments is not supported");
            break;
        }
        rc = new_dict(u, &out);
        break;
    case G_DEVICE: rc = build_device(u, &arg, &out); break;
    case G_COMPLEX: { /* complex(real, imag): a complex scalar */
        double part[2];
        if (arg_count(u, &arg, "complex", 2, 2)) break;
        for (int i = 0; i < 2; i++) {
            pk_item it = arg_at(&arg, (size_t)i);
            if (it.kind == PK_VAL && it.u.v.tag == CV_FLOAT) part[i] = it.u.v.u.f;
            else if (it.kind == PK_VAL && it.u.v.tag == CV_INT) part[i] = (double)it.u.v.u.i;
            else {
                char b[160];
                fail(u, "complex: argument %d must be a float, got a %s", i + 1, item_desc(it, b, sizeof b));
                goto done;
            }
        }
        rc = cv_complex_new(part[0], part[1], &out, u->err);
        break;
    }
    case G_SIZE: {
        cv_value t;
        if (arg_count(u, &arg, "torch.Size", 1, 1) || arg_val(u, &arg, 0, CV_TUPLE, "torch.Size", &t)) break;
        for (size_t i = 0; i < t.u.tu->len; i++)
            if (t.u.tu->items[i].tag != CV_INT) {
                fail(u, "torch.Size holds a %s", cv_tag_name(t.u.tu->items[i].tag));
                goto done;
            }
        cv_retain(t);
        out = t;
        rc = 0;
        break;
    }
    case G_INTLIST:
    case G_DOUBLELIST:
    case G_BOOLLIST:
    case G_TENSORLIST: rc = build_typed_list(u, &arg, (pk_global)fn.g, &out); break;
    case G_RESTORE_TYPE_TAG: rc = restore_type_tag(u, &arg, &out); break;
    case G_CLASS: {
        const cts_unpickler_cfg *c = u->cfg;
        const char *qn = fn.u.cls->cls->qualname;
        if (!c || !c->build_enum) {
            fail(u, "REDUCE of class '%s' (an enum?) is not supported", qn);
            break;
        }
        if (arg.kind != PK_VAL) {
            fail(u, "REDUCE of class '%s' with a non-value argument", qn);
            break;
        }
        if (c->build_enum(c->ctx, fn.u.cls, arg.u.v, &out, u->err)) {
            char what[200];
            snprintf(what, sizeof what, "enum '%.150s'", qn);
            wrap(u, what);
            break;
        }
        uint32_t d = 0;
        if (adopt(u, depth_of(u, arg.u.v), &arg.u.v, &d) || note_new(u, out, d, true)) {
            cv_release(out);
            out = cv_none();
            break;
        }
        rc = 0;
        break;
    }
    case G__COUNT: break;
    }
done:
    item_release(arg);
    item_release(fn);
    if (rc) {
        cv_release(out);
        return -1;
    }
    return push_val(u, out);
}

static int op_newobj(U *u) {
    if (need_items(u, 2, OP_NEWOBJ)) return -1;
    pk_item arg = u->stack[u->sp - 1], cls = u->stack[u->sp - 2];
    char b[160];
    if (cls.kind != PK_GLOBAL || cls.g != G_CLASS)
        return fail(u, "NEWOBJ of a %s is not supported (only __torch__ classes)", item_desc(cls, b, sizeof b));
    if (arg_len(&arg) == (size_t)-1)
        return fail(u, "NEWOBJ arguments must be a tuple, got a %s", item_desc(arg, b, sizeof b));
    u->sp -= 2;
    item_release(arg);
    cls.kind = PK_NEWOBJ;
    return push(u, cls);
}

static int op_build(U *u) {
    if (need_items(u, 2, OP_BUILD)) return -1;
    pk_item *target = &u->stack[u->sp - 2], state = u->stack[u->sp - 1];
    char b[160];
    if (state.kind != PK_VAL) return fail(u, "BUILD with a %s as state", item_desc(state, b, sizeof b));
    if (target->kind == PK_VAL && target->u.v.tag == CV_DICT) {
        /* OrderedDict attributes (state_dict's _metadata): not kept */
        u->sp--;
        item_release(state);
        return 0;
    }
    if (target->kind != PK_NEWOBJ) return fail(u, "BUILD on a %s is not supported", item_desc(*target, b, sizeof b));
    uint32_t depth = 1;
    if (adopt(u, depth_of(u, state.u.v), &state.u.v, &depth)) return -1;
    const cts_unpickler_cfg *c = u->cfg;
    int (*build)(void *, cts_type *, cv_value, cv_value *, cts_err *) =
        c && c->build_object ? c->build_object : cts_unpickle_build_object;
    cv_value obj = cv_none();
    if (build(c ? c->ctx : NULL, target->u.cls, state.u.v, &obj, u->err)) {
        char what[200];
        snprintf(what, sizeof what, "object of class '%.150s'", target->u.cls->cls->qualname);
        return wrap(u, what);
    }
    if (note_new(u, obj, depth, true)) {
        cv_release(obj);
        return -1;
    }
    u->sp--;
    item_release(state);
    item_release(*target);
    *target = val_item(obj);
    return 0;
}

/* ---- the loop ---- */

static int run(U *u, cv_value *out) {
    if (u->len == 0) return fail(u, "empty pickle");
    if (u->p[0] != OP_PROTO) return fail(u, "not a pickle of protocol 2 or higher (first byte 0x%02x)", u->p[0]);
    for (;;) {
        u->at = u->pos;
        if (u->pos >= u->len) return fail(u, "pickle ends without STOP");
        int op = u->p[u->pos++];
        const uint8_t *a = u->p + u->pos;
        switch (op) {
        case OP_PROTO:
            if (need_bytes(u, 1, op)) return -1;
            if (a[0] < 2 || a[0] > 5) return fail(u, "unsupported pickle protocol %d", a[0]);
            u->pos++;
            break;
        case OP_FRAME:
            if (need_bytes(u, 8, op)) return -1;
            if (rd_le(a, 8) > u->len - u->pos - 8) return fail(u, "FRAME of %llu bytes runs past the end",
                                                            (unsigned long long)rd_le(a, 8));
            u->pos += 8;
            break;
        case OP_STOP: {
            if (u->sp == 0) return fail(u, "STOP with an empty stack");
            pk_item top = u->stack[u->sp - 1];
            if (top.kind != PK_VAL) {
                char b[160];
                return fail(u, "pickle result is a %s, not a value", item_desc(top, b, sizeof b));
            }
            u->sp--;
            *out = top.u.v;
            return 0;
        }
        case OP_MARK:
            if (u->nmarks == u->mcap) {
                if (u->nmarks >= u->max_stack) return fail(u, "more than %zu open marks", u->max_stack);
                size_t nc = u->mcap ? u->mcap * 2 : 32;
                size_t *p = realloc(u->marks, nc * sizeof *p);
                if (!p) return oom(u, "marks");
                u->marks = p;
                u->mcap = nc;
            }
            u->marks[u->nmarks++] = u->sp;
            u->base = u->sp;
            break;
        case OP_POP:
            if (u->sp > u->base) {
                item_release(pop(u));
            } else {
                size_t b = 0;
                if (pop_mark(u, op, &b)) return -1;
            }
            break;
        case OP_POP_MARK: {
            size_t b = 0;
            if (pop_mark(u, op, &b)) return -1;
            while (u->sp > b) item_release(pop(u));
            break;
        }
        case OP_DUP:
            if (need_items(u, 1, op)) return -1;
            if (push(u, item_copy(u->stack[u->sp - 1]))) return -1;
            break;
        case OP_NONE:
            if (push_val(u, cv_none())) return -1;
            break;
        case OP_NEWTRUE:
        case OP_NEWFALSE:
            if (push_val(u, cv_bool(op == OP_NEWTRUE))) return -1;
            break;
        case OP_BININT1:
        case OP_BININT2:
        case OP_BININT: {
            int n = op == OP_BININT1 ? 1 : op == OP_BININT2 ? 2 : 4;
            if (need_bytes(u, (size_t)n, op)) return -1;
            uint64_t v = rd_le(a, n);
            int64_t i = op == OP_BININT ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v;
            u->pos += (size_t)n;
            if (push_val(u, cv_int(i))) return -1;
            break;
        }
        case OP_LONG1:
        case OP_LONG4: {
            size_t hl = op == OP_LONG1 ? 1 : 4;
            if (need_bytes(u, hl, op)) return -1;
            uint64_t n = rd_le(a, (int)hl);
            if (n > 8) return fail(u, "integer of %llu bytes does not fit in 64 bits", (unsigned long long)n);
            u->pos += hl;
            if (need_bytes(u, (size_t)n, op)) return -1;
            uint64_t v = rd_le(u->p + u->pos, (int)n);
            if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~(uint64_t)0 << (8 * n); /* sign-extend */
            u->pos += (size_t)n;
            if (push_val(u, cv_int((int64_t)v))) return -1;
            break;
        }
        case OP_BINFLOAT: {
            if (need_bytes(u, 8, op)) return -1;
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++) bits = bits << 8 | a[i];
            double d;
            memcpy(&d, &bits, 8);
            u->pos += 8;
            if (push_val(u, cv_float(d))) return -1;
            break;
        }
        case OP_BINUNICODE:
        case OP_SHORT_BINUNICODE:
        case OP_BINUNICODE8: {
            size_t hl = op == OP_SHORT_BINUNICODE ? 1 : op == OP_BINUNICODE ? 4 : 8;
            if (need_bytes(u, hl, op)) return -1;
            uint64_t n = rd_le(a, (int)hl);
            u->pos += hl;
            if (n > u->len - u->pos)
                return fail(u, "pickle is truncated: string of %llu bytes, %zu left", (unsigned long long)n,
                            u->len - u->pos);
            cv_value s;
            if (cv_str_new((const char *)u->p + u->pos, (size_t)n, &s, u->err)) return wrap(u, "string");
            u->pos += (size_t)n;
            if (push_val(u, s)) return -1;
            break;
        }
        case OP_EMPTY_TUPLE:
            if (make_tuple(u, u->sp, op)) return -1;
            break;
        case OP_TUPLE1:
        case OP_TUPLE2:
        case OP_TUPLE3: {
            size_t n = (size_t)(op - OP_TUPLE1 + 1);
            if (need_items(u, n, op) || make_tuple(u, u->sp - n, op)) return -1;
            break;
        }
        case OP_TUPLE: {
            size_t b = 0;
            if (pop_mark(u, op, &b) || make_tuple(u, b, op)) return -1;
            break;
        }
        case OP_EMPTY_LIST:
        case OP_EMPTY_DICT: {
            cv_value v;
            if ((op == OP_EMPTY_LIST ? new_list(u, &v) : new_dict(u, &v)) || push_val(u, v)) return -1;
            break;
        }
        case OP_LIST:
        case OP_DICT: {
            size_t b = 0;
            cv_value v;
            if (pop_mark(u, op, &b)) return -1;
            if ((op == OP_LIST ? new_list(u, &v) : new_dict(u, &v))) return -1;
            /* put the new container below its items, then fill it */
            if (push_val(u, v)) return -1;
            memmove(&u->stack[b + 1], &u->stack[b], (u->sp - 1 - b) * sizeof *u->stack);
            u->stack[b] = val_item(v);
            if (op == OP_LIST ? list_extend(u, b, b + 1, op) : dict_update(u, b, b + 1, op)) return -1;
            break;
        }
        case OP_APPEND:
            if (need_items(u, 2, op) || list_extend(u, u->sp - 2, u->sp - 1, op)) return -1;
            break;
        case OP_APPENDS: {
            size_t b = 0;
            if (pop_mark(u, op, &b)) return -1;
            if (b == 0 || b <= u->base) return fail(u, "APPENDS without a list below its mark");
            if (list_extend(u, b - 1, b, op)) return -1;
            break;
        }
        case OP_SETITEM:
            if (need_items(u, 3, op) || dict_update(u, u->sp - 3, u->sp - 2, op)) return -1;
            break;
        case OP_SETITEMS: {
            size_t b = 0;
            if (pop_mark(u, op, &b)) return -1;
            if (b == 0 || b <= u->base) return fail(u, "SETITEMS without a dict below its mark");
            if (dict_update(u, b - 1, b, op)) return -1;
            break;
        }
        case OP_BINPUT:
        case OP_LONG_BINPUT:
        case OP_BINGET:
        case OP_LONG_BINGET: {
            int n = op == OP_BINPUT || op == OP_BINGET ? 1 : 4;
            if (need_bytes(u, (size_t)n, op)) return -1;
            uint64_t id = rd_le(a, n);
            u->pos += (size_t)n;
            if ((op == OP_BINPUT || op == OP_LONG_BINPUT) ? memo_put(u, id) : memo_get(u, id)) return -1;
            break;
        }
        case OP_MEMOIZE:
            if (memo_put(u, u->nmemo)) return -1;
            break;
        case OP_GLOBAL:
            if (op_global(u)) return -1;
            break;
        case OP_STACK_GLOBAL:
            if (op_stack_global(u)) return -1;
            break;
        case OP_REDUCE:
            if (op_reduce(u)) return -1;
            break;
        case OP_NEWOBJ:
            if (op_newobj(u)) return -1;
            break;
        case OP_BUILD:
            if (op_build(u)) return -1;
            break;
        case OP_BINPERSID:
            if (op_persid(u)) return -1;
            break;
        default: {
            const char *nm = op_name(op);
            if (nm) return fail(u, "unsupported opcode %s (0x%02x)", nm, op);
            return fail(u, "bad opcode 0x%02x", op);
        }
        }
    }
}

int cts_unpickle(const void *data, size_t len, const cts_unpickler_cfg *cfg, cv_value *out, cts_err *err) {
    U u;
    memset(&u, 0, sizeof u);
    u.p = data;
    u.len = len;
    u.cfg = cfg;
    u.err = err;
    u.max_depth = cfg && cfg->max_depth ? cfg->max_depth : CTS_PICKLE_MAX_DEPTH;
    u.max_stack = cfg && cfg->max_stack ? cfg->max_stack : CTS_PICKLE_MAX_STACK;
    u.max_memo = cfg && cfg->max_memo ? cfg->max_memo : CTS_PICKLE_MAX_MEMO;
    if (u.max_depth > UINT32_MAX / 2) u.max_depth = UINT32_MAX / 2;
    cts_ptrmap_init(&u.memo_ix);
    cts_ptrmap_init(&u.info);
    cts_map_init(&u.stor_ix);
    cts_map_init(&u.type_ix);
    *out = cv_none();
    int rc = run(&u, out);
    while (u.sp) item_release(u.stack[--u.sp]);
    for (size_t i = 0; i < u.nmemo; i++) item_release(u.memo[i]);
    for (size_t i = 0; i < u.nstors; i++) {
        ct_storage_release(u.stors[i].s);
        free(u.stors[i].key);
    }
    for (size_t i = 0; i < u.ntypes; i++) {
        cts_type_release(u.types[i].t);
        free(u.types[i].annot);
    }
    free(u.stack);
    free(u.marks);
    free(u.memo);
    free(u.stors);
    free(u.types);
    cts_ptrmap_free(&u.memo_ix);
    cts_ptrmap_free(&u.info);
    cts_map_free(&u.stor_ix);
    cts_map_free(&u.type_ix);
    return rc;
}

/* ---- default object builder ---- */

int cts_unpickle_build_object(void *ctx, cts_type *cls, cv_value state, cv_value *out, cts_err *err) {
    (void)ctx;
    if (!cls || cls->kind != TY_CLASS || !cls->cls)
        return cts_err_set(err, "cannot build an object of a non-class type");
    const cts_class *c = cls->cls;
    if (state.tag != CV_DICT)
        return cts_err_set(err, "object of class '%s': state is a %s, expected a dict of attributes", c->qualname,
                           cv_tag_name(state.tag));
    cv_value obj;
    if (cv_object_new(cls, &obj, err)) return -1;
    for (int i = 0; i < c->nattrs; i++) {
        cv_value key;
        if (cv_str_from(c->attrs[i].name, &key, err)) {
            cv_release(obj);
            return -1;
        }
        cv_value *v = cv_dict_get(state.u.d, key);
        cv_release(key);
        if (!v) {
            cts_err_set(err, "object of class '%s' has no value for attribute '%s' in its pickled state", c->qualname,
                        c->attrs[i].name);
            cv_release(obj);
            return -1;
        }
        cv_assign(&obj.u.o->slots[i], *v);
    }
    *out = obj;
    return 0;
}
