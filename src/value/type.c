/* type.c - construction, comparison and printing of types. */
#include "type.h"

#include <stdlib.h>
#include <string.h>

static cts_type PRIMS[TY__COUNT];
static const char *const KIND_NAMES[TY__COUNT] = {
#define X(e, s) [TY_##e] = s,
    CTS_TYPE_KINDS(X)
#undef X
};

/* The singletons are constant after this one-time initialization, which is
 * idempotent and race-free in effect (every thread writes the same bytes);
 * a C11 once-flag makes that formal. */
#include <threads.h>
static once_flag prims_once = ONCE_FLAG_INIT;
static void init_prims(void) {
    for (int k = 0; k < TY__COUNT; k++) {
        atomic_init(&PRIMS[k].rc, -1);
        PRIMS[k].kind = (cts_type_kind)k;
    }
}

cts_type *cts_type_prim(cts_type_kind k) {
    call_once(&prims_once, init_prims);
    return &PRIMS[k];
}

void cts_type_retain(cts_type *t) {
    if (t && atomic_load_explicit(&t->rc, memory_order_relaxed) >= 0)
        atomic_fetch_add_explicit(&t->rc, 1, memory_order_relaxed);
}

static void class_free(cts_class *c) {
    if (!c) return;
    for (int i = 0; i < c->nattrs; i++) {
        free(c->attrs[i].name);
        cts_type_release(c->attrs[i].type);
    }
    for (int i = 0; i < c->nconsts; i++) {
        free(c->consts[i].name);
        cts_type_release(c->consts[i].type);
        if (c->free_const) c->free_const(c->consts[i].value);
    }
    for (int i = 0; i < c->nmethods; i++) free(c->methods[i].name);
    free(c->attrs);
    free(c->consts);
    free(c->methods);
    free(c->qualname);
    free(c);
}

void cts_type_release(cts_type *t) {
    if (!t || atomic_load_explicit(&t->rc, memory_order_relaxed) < 0) return;
    if (atomic_fetch_sub_explicit(&t->rc, 1, memory_order_acq_rel) != 1) return;
    for (int i = 0; i < t->n; i++) {
        cts_type_release(t->elems[i]);
        if (t->fields) free(t->fields[i]);
    }
    free(t->elems);
    free(t->fields);
    free(t->name);
    free(t->shape);
    class_free(t->cls);
    free(t);
}

static cts_type *mk(cts_type_kind k, int n, cts_type *const *elems) {
    cts_type *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    atomic_init(&t->rc, 1);
    t->kind = k;
    if (n) {
        t->elems = calloc((size_t)n, sizeof *t->elems);
        if (!t->elems) {
            free(t);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            t->elems[i] = elems[i];
            cts_type_retain(elems[i]);
        }
    }
    t->n = n;
    return t;
}

cts_type *cts_type_optional(cts_type *e) {
    /* Optional[Optional[T]] is Optional[T]; Optional[None] is None */
    if (e->kind == TY_OPTIONAL || e->kind == TY_NONE) {
        cts_type_retain(e);
        return e;
    }
    return mk(TY_OPTIONAL, 1, &e);
}
cts_type *cts_type_list(cts_type *e) { return mk(TY_LIST, 1, &e); }
cts_type *cts_type_future(cts_type *e) { return mk(TY_FUTURE, 1, &e); }
cts_type *cts_type_dict(cts_type *k, cts_type *v) {
    cts_type *kv[2] = {k, v};
    return mk(TY_DICT, 2, kv);
}
cts_type *cts_type_tuple(int n, cts_type *const *elems) { return mk(TY_TUPLE, n, elems); }

static char *dupstr(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

cts_type *cts_type_namedtuple(const char *qualname, int n, cts_type *const *elems, const char *const *fields) {
    cts_type *t = mk(TY_TUPLE, n, elems);
    if (!t) return NULL;
    t->name = dupstr(qualname);
    t->fields = calloc((size_t)(n ? n : 1), sizeof *t->fields);
    if (!t->name || !t->fields) goto oom;
    for (int i = 0; i < n; i++)
        if (!(t->fields[i] = dupstr(fields[i]))) goto oom;
    return t;
oom:
    cts_type_release(t);
    return NULL;
}

cts_type *cts_type_tensor_shaped(const char *spelling, bool requires_grad) {
    cts_type *t = mk(TY_TENSOR, 0, NULL);
    if (!t) return NULL;
    if (spelling) {
        size_t n = strlen(spelling) + 1;
        if (!(t->shape = malloc(n))) {
            cts_type_release(t);
            return NULL;
        }
        memcpy(t->shape, spelling, n);
    }
    t->requires_grad = requires_grad;
    return t;
}

cts_type *cts_type_unshaped(cts_type *t, bool keep_grad) {
    if (t->kind == TY_TENSOR && (t->shape || t->requires_grad)) {
        if (keep_grad && t->requires_grad) return cts_type_tensor_shaped(NULL, true);
        return T_TENSOR;
    }
    if ((t->kind == TY_TUPLE && !t->name) || t->kind == TY_LIST || t->kind == TY_OPTIONAL) {
        cts_type *el[64];
        if (t->n > 64) {
            cts_type_retain(t);
            return t;
        }
        bool same = true;
        for (int i = 0; i < t->n; i++) {
            el[i] = cts_type_unshaped(t->elems[i], keep_grad);
            same = same && el[i] == t->elems[i];
        }
        cts_type *r = NULL;
        if (same) {
            cts_type_retain(t);
            r = t;
        } else if (t->kind == TY_TUPLE) {
            r = cts_type_tuple(t->n, el);
        } else if (t->kind == TY_LIST) {
            r = cts_type_list(el[0]);
        } else {
            r = cts_type_optional(el[0]);
        }
        for (int i = 0; i < t->n; i++) cts_type_release(el[i]);
        return r;
    }
    cts_type_retain(t);
    return t;
}

cts_type *cts_type_var(const char *name) {
    cts_type *t = mk(TY_VAR, 0, NULL);
    if (!t) return NULL;
    if (!(t->name = dupstr(name))) {
        cts_type_release(t);
        return NULL;
    }
    return t;
}

cts_type *cts_type_class(const char *qualname, bool is_module) {
    cts_type *t = mk(TY_CLASS, 0, NULL);
    if (!t) return NULL;
    t->cls = calloc(1, sizeof *t->cls);
    if (!t->cls || !(t->cls->qualname = dupstr(qualname))) {
        cts_type_release(t);
        return NULL;
    }
    t->cls->is_module = is_module;
    return t;
}

/* ---- union normalization ---- */

/* The position of a kind in PyTorch 1.13's TypeKind enum (c10's
 * C10_FORALL_TYPES), which orders the members of a union. */
static int torch_kind_rank(cts_type_kind k) {
    switch (k) {
    case TY_ANY: return 0;
    case TY_ANY_ENUM: return 2;
    case TY_TENSOR: return 3;
    case TY_STORAGE: return 4;
    case TY_TUPLE: return 5;
    case TY_LIST: return 6;
    case TY_DICT: return 7;
    case TY_NUMBER: return 8;
    case TY_FLOAT: return 9;
    case TY_COMPLEX: return 10;
    case TY_FUTURE: return 11;
    case TY_RREF: return 12;
    case TY_INT: return 13;
    case TY_NONE: return 14;
    case TY_STR: return 15;
    case TY_GENERATOR: return 16;
    case TY_BOOL: return 18;
    case TY_OPTIONAL: return 19;
    case TY_VAR: return 20;
    case TY_DEVICE: return 21;
    case TY_STREAM: return 22;
    case TY_FUNCTION: return 23;
    case TY_CLASS: return 24;
    case TY_CAPSULE: return 26;
    case TY_QSCHEME: return 28;
    case TY_LAYOUT: return 29;
    case TY_ANY_LIST: return 31;
    case TY_ANY_TUPLE: return 32;
    case TY_ANY_CLASS: return 33;
    case TY_UNION: return 35;
    default: return 40;
    }
}

/* UnionType's order: by TypeKind, then by the type's text */
static int annot_cmp(const void *a, const void *b) {
    const cts_type *ta = *(cts_type *const *)a, *tb = *(cts_type *const *)b;
    /* an enum class is an EnumType (rank 1) */
    int ra = ta->kind == TY_CLASS && ta->cls->is_enum ? 1 : torch_kind_rank(ta->kind);
    int rb = tb->kind == TY_CLASS && tb->cls->is_enum ? 1 : torch_kind_rank(tb->kind);
    if (ra != rb) return ra < rb ? -1 : 1;
    cts_strbuf sa, sb;
    cts_sb_init(&sa);
    cts_sb_init(&sb);
    cts_type_str_annot(*(cts_type *const *)a, &sa);
    cts_type_str_annot(*(cts_type *const *)b, &sb);
    int r = strcmp(cts_sb_str(&sa), cts_sb_str(&sb));
    cts_sb_free(&sa);
    cts_sb_free(&sb);
    return r;
}

void cts_type_sort_members(cts_type **ts, int n) { qsort(ts, (size_t)n, sizeof *ts, annot_cmp); }

cts_type *cts_type_union(int n, cts_type *const *elems) {
    /* flatten nested unions and optionals, drop duplicates */
    cts_type *flat[64];
    int m = 0;
    bool has_none = false;
    for (int i = 0; i < n; i++) {
        cts_type *e = elems[i];
        cts_type *stack[64];
        int sp = 0;
        stack[sp++] = e;
        while (sp) {
            cts_type *x = stack[--sp];
            if (x->kind == TY_UNION) {
                for (int j = x->n - 1; j >= 0 && sp < 64; j--) stack[sp++] = x->elems[j];
            } else if (x->kind == TY_OPTIONAL) {
                has_none = true;
                if (sp < 64) stack[sp++] = x->elems[0];
            } else if (x->kind == TY_NONE) {
                has_none = true;
            } else {
                bool dup = false;
                for (int j = 0; j < m; j++)
                    if (cts_type_equal(flat[j], x)) dup = true;
                if (!dup && m < 63) flat[m++] = x;
            }
        }
    }
    if (m == 0) {
        return has_none ? (cts_type_retain(T_NONE), T_NONE) : NULL;
    }
    if (m == 1 && has_none) return cts_type_optional(flat[0]);
    if (m == 1) {
        cts_type_retain(flat[0]);
        return flat[0];
    }
    if (has_none) flat[m++] = T_NONE;
    qsort(flat, (size_t)m, sizeof *flat, annot_cmp);
    return mk(TY_UNION, m, flat);
}

/* ---- comparison ---- */

bool cts_type_equal(const cts_type *a, const cts_type *b) {
    if (a == b) return true;
    if (!a || !b || a->kind != b->kind || a->n != b->n) return false;
    if (a->kind == TY_TENSOR) return true; /* shapes recorded by a trace do not make another type here */
    if (a->kind == TY_CLASS) return a->cls == b->cls || strcmp(a->cls->qualname, b->cls->qualname) == 0;
    if (a->kind == TY_VAR) return strcmp(a->name, b->name) == 0;
    if ((a->name == NULL) != (b->name == NULL)) return false;
    if (a->name && strcmp(a->name, b->name)) return false;
    for (int i = 0; i < a->n; i++)
        if (!cts_type_equal(a->elems[i], b->elems[i])) return false;
    return true;
}

bool cts_type_is_optional_like(const cts_type *t) {
    if (t->kind == TY_OPTIONAL) return true;
    if (t->kind == TY_UNION)
        for (int i = 0; i < t->n; i++)
            if (t->elems[i]->kind == TY_NONE) return true;
    return false;
}

bool cts_type_subtype(const cts_type *a, const cts_type *b) {
    if (cts_type_equal(a, b)) return true;
    if (b->kind == TY_ANY) return true;
    if (a->kind == TY_UNION && b->kind != TY_UNION) {
        /* a union is a subtype when every member is (Union[int, float] <: number) */
        for (int i = 0; i < a->n; i++)
            if (!cts_type_subtype(a->elems[i], b)) return false;
        return true;
    }
    switch (b->kind) {
    case TY_NUMBER:
        return a->kind == TY_INT || a->kind == TY_FLOAT || a->kind == TY_COMPLEX;
    case TY_OPTIONAL:
        if (a->kind == TY_NONE) return true;
        if (a->kind == TY_OPTIONAL) return cts_type_subtype(a->elems[0], b->elems[0]);
        return cts_type_subtype(a, b->elems[0]);
    case TY_UNION:
        if (a->kind == TY_UNION || a->kind == TY_OPTIONAL) {
            int n = a->kind == TY_UNION ? a->n : 2;
            for (int i = 0; i < n; i++) {
                const cts_type *ai = a->kind == TY_UNION ? a->elems[i] : (i ? T_NONE : a->elems[0]);
                if (!cts_type_subtype(ai, b)) return false;
            }
            return true;
        }
        for (int i = 0; i < b->n; i++)
            if (cts_type_subtype(a, b->elems[i])) return true;
        return false;
    case TY_TUPLE:
        if (a->kind != TY_TUPLE || a->n != b->n) return false;
        if (b->name && (!a->name || strcmp(a->name, b->name))) return false;
        for (int i = 0; i < a->n; i++)
            if (!cts_type_subtype(a->elems[i], b->elems[i])) return false;
        return true;
    case TY_FUTURE:
        return a->kind == TY_FUTURE && cts_type_subtype(a->elems[0], b->elems[0]);
    case TY_ANY_CLASS: /* an enum is an EnumType, not a ClassType */
        return a->kind == TY_CLASS && !a->cls->is_enum;
    case TY_ANY_ENUM:
        return a->kind == TY_CLASS && a->cls->is_enum;
    case TY_ANY_LIST:
        return a->kind == TY_LIST;
    case TY_ANY_TUPLE:
        return a->kind == TY_TUPLE;
    default:
        return false;
    }
}

/* ---- printing ---- */

void cts_type_str_ir(const cts_type *t, cts_strbuf *sb) {
    if (t->kind == TY_TENSOR && t->shape) {
        cts_sb_puts(sb, t->shape);
        return;
    }
    switch (t->kind) {
    case TY_OPTIONAL:
        cts_type_str_ir(t->elems[0], sb);
        cts_sb_putc(sb, '?');
        return;
    case TY_LIST:
        cts_type_str_ir(t->elems[0], sb);
        cts_sb_puts(sb, "[]");
        return;
    case TY_TUPLE:
        if (t->name) {
            cts_sb_puts(sb, "NamedTuple(");
            for (int i = 0; i < t->n; i++) {
                if (i) cts_sb_puts(sb, ", ");
                cts_sb_printf(sb, "%s : ", t->fields[i]);
                cts_type_str_ir(t->elems[i], sb);
            }
            cts_sb_putc(sb, ')');
            return;
        }
        cts_sb_putc(sb, '(');
        for (int i = 0; i < t->n; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_ir(t->elems[i], sb);
        }
        cts_sb_putc(sb, ')');
        return;
    case TY_DICT:
    case TY_UNION:
    case TY_FUTURE:
    case TY_RREF:
        cts_sb_printf(sb, "%s(", KIND_NAMES[t->kind]);
        for (int i = 0; i < t->n; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_ir(t->elems[i], sb);
        }
        cts_sb_putc(sb, ')');
        return;
    case TY_CLASS:
        /* EnumType::str() */
        if (t->cls->is_enum) cts_sb_printf(sb, "Enum<%s>", t->cls->qualname);
        else cts_sb_puts(sb, t->cls->qualname);
        return;
    case TY_VAR:
        cts_sb_puts(sb, t->name);
        return;
    default:
        cts_sb_puts(sb, KIND_NAMES[t->kind]);
    }
}

void cts_type_str_annot(const cts_type *t, cts_strbuf *sb) {
    switch (t->kind) {
    case TY_NUMBER:
        cts_sb_puts(sb, "number");
        return;
    case TY_OPTIONAL:
    case TY_LIST:
    case TY_DICT:
    case TY_UNION:
    case TY_FUTURE:
    case TY_RREF:
        cts_sb_printf(sb, "%s[", KIND_NAMES[t->kind]);
        for (int i = 0; i < t->n; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_annot(t->elems[i], sb);
        }
        cts_sb_putc(sb, ']');
        return;
    case TY_TUPLE:
        if (t->name) {
            cts_sb_puts(sb, t->name);
            return;
        }
        cts_sb_puts(sb, "Tuple[");
        if (t->n == 0) cts_sb_puts(sb, "()");
        for (int i = 0; i < t->n; i++) {
            if (i) cts_sb_puts(sb, ", ");
            cts_type_str_annot(t->elems[i], sb);
        }
        cts_sb_putc(sb, ']');
        return;
    case TY_CLASS: /* annotation_str of an EnumType is its qualified name */
        cts_sb_puts(sb, t->cls->qualname);
        return;
    default:
        cts_type_str_ir(t, sb);
    }
}

/* ---- classes ---- */

#define GROW(arr, n, cap)                                                  \
    do {                                                                   \
        if ((n) == (cap)) {                                                \
            int nc_ = (cap) ? (cap) * 2 : 8;                               \
            void *p_ = realloc((arr), (size_t)nc_ * sizeof *(arr));        \
            if (!p_) return -1;                                            \
            (arr) = p_;                                                    \
            (cap) = nc_;                                                   \
        }                                                                  \
    } while (0)

int cts_class_add_attr(cts_class *c, const char *name, cts_type *t, bool is_param, bool is_buffer) {
    GROW(c->attrs, c->nattrs, c->cap_attrs);
    char *nm = dupstr(name);
    if (!nm) return -1;
    cts_type_retain(t);
    c->attrs[c->nattrs++] = (cts_attr){nm, t, is_param, is_buffer};
    return 0;
}

int cts_class_find_attr(const cts_class *c, const char *name) {
    for (int i = 0; i < c->nattrs; i++)
        if (strcmp(c->attrs[i].name, name) == 0) return i;
    return -1;
}

int cts_class_add_method(cts_class *c, const char *name, void *fn) {
    GROW(c->methods, c->nmethods, c->cap_methods);
    char *nm = dupstr(name);
    if (!nm) return -1;
    c->methods[c->nmethods++] = (cts_class_method){nm, fn};
    return 0;
}

void *cts_class_find_method(const cts_class *c, const char *name) {
    for (int i = 0; i < c->nmethods; i++)
        if (strcmp(c->methods[i].name, name) == 0) return c->methods[i].fn;
    return NULL;
}

int cts_class_add_const(cts_class *c, const char *name, cts_type *t, void *value) {
    GROW(c->consts, c->nconsts, c->cap_consts);
    char *nm = dupstr(name);
    if (!nm) return -1;
    cts_type_retain(t);
    c->consts[c->nconsts++] = (cts_class_const){nm, t, value};
    return 0;
}

int cts_class_find_const(const cts_class *c, const char *name) {
    for (int i = 0; i < c->nconsts; i++)
        if (strcmp(c->consts[i].name, name) == 0) return i;
    return -1;
}

cts_type *cts_type_unify(cts_type *a, cts_type *b, bool to_union) {
    if (cts_type_subtype(a, b)) {
        cts_type_retain(b);
        return b;
    }
    if (cts_type_subtype(b, a)) {
        cts_type_retain(a);
        return a;
    }
    if (a->kind == TY_NONE && b->kind != TY_OPTIONAL) return cts_type_optional(b);
    if (b->kind == TY_NONE && a->kind != TY_OPTIONAL) return cts_type_optional(a);
    cts_type *r = NULL;
    if (a->kind == TY_OPTIONAL || b->kind == TY_OPTIONAL) {
        cts_type *inner = a->kind == TY_OPTIONAL ? cts_type_unify(a->elems[0], b, false)
                                                 : cts_type_unify(a, b->elems[0], false);
        if (inner) {
            r = cts_type_optional(inner);
            cts_type_release(inner);
            return r;
        }
    } else if (a->kind == TY_TUPLE && b->kind == TY_TUPLE && a->n == b->n && !a->name && !b->name && a->n <= 64) {
        cts_type *el[64] = {0};
        int i = 0;
        for (; i < a->n; i++)
            if (!(el[i] = cts_type_unify(a->elems[i], b->elems[i], false))) break;
        if (i == a->n) r = cts_type_tuple(a->n, el);
        for (int j = 0; j < i; j++) cts_type_release(el[j]);
        if (r) return r;
    }
    if (to_union) {
        cts_type *two[2] = {a, b};
        return cts_type_union(2, two);
    }
    return NULL;
}
