/* printer.c - PyTorch's python_print for cts graphs (see printer.h).
 *
 * The algorithm follows torch/csrc/jit/serialization/python_print.cpp
 * (1.13) step by step, because its output is defined by its steps:
 *
 *  1. scan: a right-to-left walk over each block decides which nodes are
 *     printed inline into their single use (canInline + the "expected
 *     point" of a postorder traversal), and marks every used constant;
 *  2. constants used anywhere are visited first, in first-use order; those
 *     too long to inline (>= 40 columns) become `_N = ...` lines;
 *  3. nodes print in order: inlined ones become expressions stored for
 *     their use, others statements assigning names made from debug names;
 *     an inline expression that gets too long splits itself and every
 *     inlined argument before it into temporaries, keeping their order.
 *
 * Invariants: a function's state (expressions, names, inline sets) lives
 * in one `pp` and its arena; only the name counters (next_id) and the
 * shared tables outlive it.  Errors (an unprintable loop, a value with no
 * expression, out of memory) are sticky: printing goes on harmlessly and
 * the entry point returns -1 with the first message. */
#include "printer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu.h"

/* ---- a small pointer map -------------------------------------------------- */

typedef struct pslot {
    const void *key;
    intptr_t val;
} pslot;

typedef struct pmap {
    pslot *slots;
    size_t cap, len;
} pmap;

static size_t phash(const void *k, size_t cap) {
    uint64_t x = (uint64_t)(uintptr_t)k;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

static bool pmap_get(const pmap *m, const void *k, intptr_t *v) {
    if (!m->cap) return false;
    for (size_t i = phash(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key) return false;
        if (m->slots[i].key == k) {
            if (v) *v = m->slots[i].val;
            return true;
        }
    }
}

static bool pmap_has(const pmap *m, const void *k) { return pmap_get(m, k, NULL); }

static int pmap_put(pmap *m, const void *k, intptr_t v) {
    if ((m->len + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        pslot *ns = calloc(nc, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t j = phash(m->slots[i].key, nc);
            while (ns[j].key) j = (j + 1) & (nc - 1);
            ns[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = ns;
        m->cap = nc;
    }
    size_t i = phash(k, m->cap);
    while (m->slots[i].key && m->slots[i].key != k) i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].key) m->len++;
    m->slots[i].key = k;
    m->slots[i].val = v;
    return 0;
}

static void pmap_free(pmap *m) {
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

/* ---- shared tables ---------------------------------------------------------- */

void cts_printer_ctx_init(cts_printer_ctx *ctx, cts_cu *cu) {
    memset(ctx, 0, sizeof *ctx);
    ctx->cu = cu;
}

void cts_printer_ctx_free(cts_printer_ctx *ctx) {
    for (int i = 0; i < ctx->nconstants; i++) cv_release(ctx->constants[i]);
    free(ctx->constants);
    free(ctx->deps);
    memset(ctx, 0, sizeof *ctx);
}

void cts_printer_init(cts_printer *p, cts_printer_ctx *ctx, bool enforce_importable) {
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    p->enforce_importable = enforce_importable;
    cts_sb_init(&p->out);
    cts_map_init(&p->next_id);
    cts_arena_init(&p->keys);
}

void cts_printer_free(cts_printer *p) {
    cts_sb_free(&p->out);
    cts_map_free(&p->next_id);
    cts_arena_free(&p->keys);
}

/* ---- per-function state ------------------------------------------------------ */

typedef struct pp {
    cts_printer *P;
    cts_printer_ctx *ctx;
    cts_strbuf *body;
    int level;
    cts_arena ar;          /* expression and name strings */
    pmap inline_nodes;     /* output_inline_: nodes printed into their use */
    pmap split_visited;    /* visited_split_inline_uses_: node -> max offset scanned */
    pmap ident;            /* value -> name (takes precedence over expr) */
    pmap expr;             /* value -> inline expression */
    pmap seen_consts;      /* constants already listed */
    pmap annotated;        /* annotated_unions_: Optional/Union values already declared with their type */
    cts_map used;          /* names used in the current function */
    cts_err *err;
    bool failed;
} pp;

static void pp_fail(pp *p, const char *fmt, ...) CTS_PRINTF(2, 3);
static void pp_fail(pp *p, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    cts_err_setv(p->err, fmt, ap);
    va_end(ap);
}

static void pp_oom(pp *p) { pp_fail(p, "out of memory while printing code"); }

static char *pp_strdup(pp *p, const char *s) {
    char *r = cts_arena_strdup(&p->ar, s);
    if (!r) {
        pp_oom(p);
        return (char *)"";
    }
    return r;
}

/* Takes the text of a scratch buffer into the arena and frees the buffer. */
static char *pp_take(pp *p, cts_strbuf *sb) {
    if (sb->oom) pp_oom(p);
    char *r = pp_strdup(p, cts_sb_str(sb));
    cts_sb_free(sb);
    return r;
}

static void pp_put(pp *p, pmap *m, const void *k, intptr_t v) {
    if (pmap_put(m, k, v)) pp_oom(p);
}

static void pp_init(pp *p, cts_printer *P, cts_err *err) {
    memset(p, 0, sizeof *p);
    p->P = P;
    p->ctx = P->ctx;
    p->body = &P->out;
    p->err = err;
    cts_arena_init(&p->ar);
    cts_map_init(&p->used);
}

static void pp_reset_function(pp *p) {
    pmap_free(&p->inline_nodes);
    pmap_free(&p->split_visited);
    pmap_free(&p->ident);
    pmap_free(&p->expr);
    pmap_free(&p->seen_consts);
    pmap_free(&p->annotated);
    cts_map_free(&p->used);
    cts_map_init(&p->used);
}

static void pp_done(pp *p) {
    pp_reset_function(p);
    cts_map_free(&p->used);
    cts_arena_free(&p->ar);
}

/* ---- names -------------------------------------------------------------------- */

static bool is_ident_char(char c, size_t pos) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (pos > 0 && c >= '0' && c <= '9');
}

static bool is_valid_identifier(const char *s) {
    if (!*s) return false;
    for (size_t i = 0; s[i]; i++)
        if (!is_ident_char(s[i], i)) return false;
    return true;
}

/* identifiers in the environment while parsing, and Python's keywords */
static const char *const RESERVED[] = {
    "_",      "as",    "aten",     "attribute", "CONSTANTS", "fork",     "getattr", "inf",
    "nan",    "infj",  "nanj",     "ops",       "__torch__", "and",      "assert",  "async",
    "await",  "break", "class",    "continue",  "def",       "del",      "elif",    "else",
    "except", "False", "finally",  "for",       "from",      "global",   "if",      "import",
    "in",     "is",    "lambda",   "None",      "nonlocal",  "not",      "or",      "pass",
    "raise",  "return", "True",    "try",       "with",      "while",    "yield",   "uninitialized",
    "unchecked_cast",
};

static bool is_reserved(const char *s) {
    for (size_t i = 0; i < sizeof RESERVED / sizeof *RESERVED; i++)
        if (strcmp(RESERVED[i], s) == 0) return true;
    return false;
}

/* genNameImpl: the counter is looked up by the *current* candidate, so a
 * clash on "x0" continues from next_id["x0"], not next_id["x"] (PyTorch's
 * quirk, reproduced because it decides the printed names). */
static const char *gen_name(pp *p, const char *candidate) {
    cts_printer *P = p->P;
    const char *name = candidate;
    char buf[512];
    while (cts_map_get(&p->used, name) || is_reserved(name)) {
        intptr_t id = (intptr_t)cts_map_get(&P->next_id, name);
        /* an existing entry keeps its stored key; a new one needs a copy */
        const char *key = id ? name : cts_arena_strdup(&P->keys, name);
        if (!key || cts_map_put(&P->next_id, key, (void *)(id + 1))) {
            pp_oom(p);
            return "_";
        }
        snprintf(buf, sizeof buf, "%s%ld", candidate, (long)id);
        name = pp_strdup(p, buf);
    }
    if (name == candidate) name = pp_strdup(p, candidate);
    if (cts_map_put(&p->used, name, (void *)1)) pp_oom(p);
    return name;
}

/* debugNameBase: `x.1` -> `x` (a trailing all-digit component is dropped) */
static const char *debug_name_base(pp *p, const char *name) {
    const char *dot = strrchr(name, '.');
    if (dot && dot[1]) {
        const char *q = dot + 1;
        while (*q >= '0' && *q <= '9') q++;
        if (!*q) {
            char *r = cts_arena_strndup(&p->ar, name, (size_t)(dot - name));
            if (!r) {
                pp_oom(p);
                return "_";
            }
            return r;
        }
    }
    return name;
}

static const char *make_valid_identifier(pp *p, const char *c) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    if (!*c || (*c >= '0' && *c <= '9')) cts_sb_putc(&sb, '_');
    for (const char *q = c; *q; q++) cts_sb_putc(&sb, is_ident_char(*q, 1) ? *q : '_');
    return pp_take(p, &sb);
}

static const char *gen_unique_name_for(pp *p, const ir_value *v) {
    if (v->name && v->name[0]) return gen_name(p, make_valid_identifier(p, debug_name_base(p, v->name)));
    return gen_name(p, "_");
}

/* ---- value table ---------------------------------------------------------------- */

static const char *use_of(pp *p, const ir_value *v) {
    intptr_t s;
    if (pmap_get(&p->ident, v, &s)) return (const char *)s;
    if (pmap_get(&p->expr, v, &s)) return (const char *)s;
    pp_fail(p, "code printer: value %%%s was not present in either expressions table or ident refs table",
            v->name ? v->name : "?");
    return "<?>";
}

static void assign_ident(pp *p, const ir_value *v, const char *name) { pp_put(p, &p->ident, v, (intptr_t)name); }
static void assign_expr(pp *p, const ir_value *v, const char *e) { pp_put(p, &p->expr, v, (intptr_t)e); }

static void assign_unique_names(pp *p, ir_value *const *vs, int n) {
    for (int i = 0; i < n; i++) assign_ident(p, vs[i], gen_unique_name_for(p, vs[i]));
}

/* ---- output helpers --------------------------------------------------------------- */

static void indent(pp *p) {
    for (int i = 0; i < p->level; i++) cts_sb_puts(p->body, "  ");
}

static void print_value_list(pp *p, cts_strbuf *s, ir_value *const *vs, int n, const char *begin, const char *end) {
    cts_sb_puts(s, begin);
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_puts(s, ", ");
        cts_sb_puts(s, use_of(p, vs[i]));
    }
    cts_sb_puts(s, end);
}

static void annot(cts_strbuf *s, const cts_type *t) { cts_type_str_annot(t, s); }

/* ---- dependencies ------------------------------------------------------------------ */

static int ctx_push_dep(cts_printer_ctx *ctx, cts_type *t, const ir_function *fn) {
    if (ctx->ndeps == ctx->cap_deps) {
        int nc = ctx->cap_deps ? ctx->cap_deps * 2 : 16;
        cts_print_dep *nd = realloc(ctx->deps, (size_t)nc * sizeof *nd);
        if (!nd) return -1;
        ctx->deps = nd;
        ctx->cap_deps = nc;
    }
    ctx->deps[ctx->ndeps].type = t;
    ctx->deps[ctx->ndeps].fn = fn;
    ctx->ndeps++;
    return 0;
}

int cts_printer_ctx_add_dep(cts_printer_ctx *ctx, cts_type *type, const ir_function *fn) {
    for (int i = 0; i < ctx->ndeps; i++) {
        if (fn && ctx->deps[i].fn == fn) return 0;
        if (type && ctx->deps[i].type && cts_type_equal(ctx->deps[i].type, type)) return 0;
    }
    return ctx_push_dep(ctx, type, fn);
}

const char *cts_print_dep_qualname(const cts_print_dep *d) {
    if (d->fn) return d->fn->qualname;
    if (d->type->kind == TY_CLASS && d->type->cls) return d->type->cls->qualname;
    return d->type->name ? d->type->name : "";
}

/* Returns 1 if newly added. */
static int add_type_dep(pp *p, cts_type *t) {
    cts_printer_ctx *ctx = p->ctx;
    for (int i = 0; i < ctx->ndeps; i++)
        if (ctx->deps[i].type && cts_type_equal(ctx->deps[i].type, t)) return 0;
    if (ctx_push_dep(ctx, t, NULL)) {
        pp_oom(p);
        return 0;
    }
    return 1;
}

static void add_fn_dep(pp *p, const ir_function *fn) {
    cts_printer_ctx *ctx = p->ctx;
    for (int i = 0; i < ctx->ndeps; i++)
        if (ctx->deps[i].fn == fn) return;
    if (ctx_push_dep(ctx, NULL, fn)) pp_oom(p);
}

/* registerClassDependencies: a class's contained types are its attribute
 * types (ClassType::containedTypes), so a module pulls in its submodules. */
static void register_deps(pp *p, cts_type *t) {
    if (!t) return;
    if (t->kind == TY_CLASS) {
        if (add_type_dep(p, t) && t->cls)
            for (int i = 0; i < t->cls->nattrs; i++) register_deps(p, t->cls->attrs[i].type);
        return;
    }
    if (t->kind == TY_TUPLE && t->name) add_type_dep(p, t);
    for (int i = 0; i < t->n; i++) register_deps(p, t->elems[i]);
}

static void scan_type_deps(pp *p, const ir_node *n) {
    for (int i = 0; i < n->ninputs; i++) register_deps(p, n->inputs[i]->type);
    for (int i = 0; i < n->noutputs; i++) register_deps(p, n->outputs[i]->type);
    for (int i = 0; i < n->ntypes; i++) register_deps(p, n->types[i]);
}

/* Operators whose semantics changed, with the file format version that
 * introduced the change (1.13's operator version map; div and full have
 * the same legacy kind versions), keyed by full schema name. */
static const struct {
    const char *name;
    int64_t version;
} OP_VERSIONS[] = {
    {"aten::div.Tensor", 4},   {"aten::div.Tensor_mode", 4},  {"aten::div.Scalar", 4},
    {"aten::div.Scalar_mode", 4}, {"aten::div.out", 4},        {"aten::div.out_mode", 4},
    {"aten::div_.Tensor", 4},  {"aten::div_.Tensor_mode", 4}, {"aten::div_.Scalar", 4},
    {"aten::div_.Scalar_mode", 4}, {"aten::full", 5},          {"aten::full.names", 5},
    {"aten::full.out", 5},     {"aten::linspace", 8},         {"aten::linspace.out", 8},
    {"aten::logspace", 9},     {"aten::logspace.out", 9},     {"aten::gelu", 10},
    {"aten::gelu.out", 10},
};

static void check_version(pp *p, const ir_node *n) {
    const cts_schema *s = n->schema;
    if (!s || !s->name) return;
    char full[256];
    snprintf(full, sizeof full, "%s%s%s", s->name, s->overload && s->overload[0] ? "." : "",
             s->overload ? s->overload : "");
    for (size_t i = 0; i < sizeof OP_VERSIONS / sizeof *OP_VERSIONS; i++)
        if (!strcmp(OP_VERSIONS[i].name, full) && OP_VERSIONS[i].version > p->ctx->min_version)
            p->ctx->min_version = OP_VERSIONS[i].version;
}

/* ---- constants ------------------------------------------------------------------------ */

static bool tensors_equal(const ct_tensor *a, const ct_tensor *b) {
    if (!a || !b) return false;
    if (a->dtype != b->dtype || a->ndim != b->ndim) return false;
    for (int d = 0; d < a->ndim; d++)
        if (a->sizes[d] != b->sizes[d]) return false;
    if (ct_numel(a) == 0) return true;
    ct_iter ia, ib;
    ct_iter_init(&ia, a);
    ct_iter_init(&ib, b);
    const char *pa = ct_data(a), *pb = ct_data(b);
    int es = ct_dtype_size(a->dtype);
    bool f = ct_dtype_is_float(a->dtype);
    do {
        const void *x = pa + ia.pos * es, *y = pb + ib.pos * es;
        bool ne = f ? ct_load_f64(x, a->dtype) != ct_load_f64(y, b->dtype)
                    : ct_load_i64(x, a->dtype) != ct_load_i64(y, b->dtype);
        if (ne) return false;
        ct_iter_next(&ib);
    } while (ct_iter_next(&ia));
    return true;
}

/* getOrAddConstant: equal tensors share an entry; anything else is new. */
static int get_or_add_constant(pp *p, cv_value v) {
    cts_printer_ctx *ctx = p->ctx;
    if (v.tag == CV_TENSOR)
        for (int i = 0; i < ctx->nconstants; i++)
            if (ctx->constants[i].tag == CV_TENSOR && tensors_equal(ctx->constants[i].u.t, v.u.t)) return i;
    if (ctx->nconstants == ctx->cap_constants) {
        int nc = ctx->cap_constants ? ctx->cap_constants * 2 : 8;
        cv_value *n = realloc(ctx->constants, (size_t)nc * sizeof *n);
        if (!n) {
            pp_oom(p);
            return 0;
        }
        ctx->constants = n;
        ctx->cap_constants = nc;
    }
    cv_retain(v);
    ctx->constants[ctx->nconstants] = v;
    return ctx->nconstants++;
}

static bool contains_non_ascii(cv_value v) {
    switch (v.tag) {
    case CV_STR:
        for (size_t i = 0; i < v.u.s->len; i++)
            if ((unsigned char)v.u.s->data[i] > 0x7f) return true;
        return false;
    case CV_LIST:
        for (size_t i = 0; i < v.u.l->len; i++)
            if (contains_non_ascii(v.u.l->items[i])) return true;
        return false;
    case CV_TUPLE:
        for (size_t i = 0; i < v.u.tu->len; i++)
            if (contains_non_ascii(v.u.tu->items[i])) return true;
        return false;
    case CV_DICT:
        for (size_t i = 0; i < v.u.d->len; i++)
            if (contains_non_ascii(v.u.d->entries[i].key) || contains_non_ascii(v.u.d->entries[i].val)) return true;
        return false;
    case CV_OBJECT:
        for (size_t i = 0; i < v.u.o->nslots; i++)
            if (contains_non_ascii(v.u.o->slots[i])) return true;
        return false;
    default: return false;
    }
}

/* elementTypeCanBeInferredFromMembers */
static bool elem_type_inferable(const cts_type *t) {
    switch (t->kind) {
    case TY_UNION:
    case TY_OPTIONAL:
    case TY_NUMBER:
    case TY_ANY: return false;
    case TY_CLASS: return !(t->cls && t->cls->is_interface);
    default: return true;
    }
}

/* IValue::repr of a double: cv_float_repr, except that a NaN keeps its
 * sign as C++ streams print it (`-nan`: x86 arithmetic makes negative
 * NaNs, e.g. (-8) ** 0.5 folded to a constant). */
static void print_float(cts_strbuf *s, double d) {
    if (isnan(d)) cts_sb_puts(s, signbit(d) ? "-nan" : "nan");
    else cv_float_repr(d, s);
}

static void print_device(cts_strbuf *s, cv_value v) {
    cts_strbuf d;
    cts_sb_init(&d);
    cv_repr(v, &d);
    cts_sb_puts(s, "torch.device(");
    cv_str_quote(cts_sb_str(&d), d.len, s);
    cts_sb_putc(s, ')');
    cts_sb_free(&d);
}

/* IValue::repr with python_print's custom formatter: tensors, objects and
 * anything holding a non-ASCII string go to the CONSTANTS table. */
static void print_constant(pp *p, cts_strbuf *s, cv_value v) {
    if (cv_is_enum(v)) { /* an enum member prints as its qualified name */
        cv_repr(v, s);
        return;
    }
    if (v.tag == CV_TENSOR || v.tag == CV_OBJECT || contains_non_ascii(v)) {
        cts_sb_printf(s, "CONSTANTS.c%d", get_or_add_constant(p, v));
        return;
    }
    switch (v.tag) {
    case CV_NONE: cts_sb_puts(s, "None"); break;
    case CV_BOOL: cts_sb_puts(s, v.u.b ? "True" : "False"); break;
    case CV_INT: cts_sb_printf(s, "%lld", (long long)v.u.i); break;
    case CV_FLOAT: print_float(s, v.u.f); break;
    case CV_STR: cv_str_quote(v.u.s->data, v.u.s->len, s); break;
    case CV_DEVICE: print_device(s, v); break;
    case CV_TUPLE: {
        const cv_tuple *t = v.u.tu;
        if (t->type && t->type->name) cts_sb_puts(s, t->type->name);
        cts_sb_putc(s, '(');
        for (size_t i = 0; i < t->len; i++) {
            if (i) cts_sb_puts(s, ", ");
            print_constant(p, s, t->items[i]);
        }
        cts_sb_puts(s, t->len == 1 ? ",)" : ")");
        break;
    }
    case CV_LIST: {
        const cv_list *l = v.u.l;
        bool ann = l->len == 0 || !elem_type_inferable(l->elem);
        if (ann) {
            cts_sb_puts(s, "annotate(List[");
            annot(s, l->elem);
            cts_sb_puts(s, "], ");
        }
        cts_sb_putc(s, '[');
        for (size_t i = 0; i < l->len; i++) {
            if (i) cts_sb_puts(s, ", ");
            print_constant(p, s, l->items[i]);
        }
        cts_sb_putc(s, ']');
        if (ann) cts_sb_putc(s, ')');
        break;
    }
    case CV_DICT: {
        const cv_dict *d = v.u.d;
        /* printMaybeAnnotatedDict: note PyTorch's missing space after the comma */
        bool ann = d->len == 0 || !elem_type_inferable(d->val_type);
        if (ann) {
            cts_sb_puts(s, "annotate(Dict[");
            annot(s, d->key_type);
            cts_sb_puts(s, ", ");
            annot(s, d->val_type);
            cts_sb_puts(s, "],");
        }
        cts_sb_putc(s, '{');
        for (size_t i = 0; i < d->len; i++) {
            if (i) cts_sb_puts(s, ", ");
            print_constant(p, s, d->entries[i].key);
            cts_sb_puts(s, ": ");
            print_constant(p, s, d->entries[i].val);
        }
        cts_sb_putc(s, '}');
        if (ann) cts_sb_putc(s, ')');
        break;
    }
    case CV_COMPLEX: cv_repr(v, s); break; /* `1.+2.j`, which Python reads back */
    default: pp_fail(p, "code printer: cannot print a constant of kind %s", cv_tag_name(v.tag)); break;
    }
}

/* IValue equality as CalculateNecessaryArgs uses it: tags must agree
 * (an int default never equals a float argument). */
static bool ivalue_same(cv_value a, cv_value b) {
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case CV_NONE: return true;
    case CV_BOOL: return a.u.b == b.u.b;
    case CV_INT: return a.u.i == b.u.i;
    case CV_FLOAT: return a.u.f == b.u.f;
    case CV_DEVICE: return a.u.dev.type == b.u.dev.type && a.u.dev.index == b.u.dev.index;
    case CV_STR: return a.u.s->len == b.u.s->len && memcmp(a.u.s->data, b.u.s->data, a.u.s->len) == 0;
    case CV_LIST:
        if (a.u.l->len != b.u.l->len) return false;
        for (size_t i = 0; i < a.u.l->len; i++)
            if (!ivalue_same(a.u.l->items[i], b.u.l->items[i])) return false;
        return true;
    case CV_TUPLE:
        if (a.u.tu->len != b.u.tu->len) return false;
        for (size_t i = 0; i < a.u.tu->len; i++)
            if (!ivalue_same(a.u.tu->items[i], b.u.tu->items[i])) return false;
        return true;
    default: return false;
    }
}

/* toIValue: the value of a prim::Constant (functions excluded). */
static bool const_value_of(const ir_value *v, cv_value *out) {
    const ir_node *n = v->node;
    if (n->k != K_CONSTANT || n->fn) return false;
    *out = n->has_value ? n->value : cv_none();
    return true;
}

/* ---- scan: which nodes print inline ------------------------------------------------- */

static bool is_inline(pp *p, const ir_node *n) { return pmap_has(&p->inline_nodes, n); }

static bool can_inline(const ir_value *v) {
    const ir_node *n = v->node;
    if (n->noutputs != 1) return false;
    if (v->nuses != 1) return false;
    const ir_node *user = v->uses[0].user;
    /* a named value was a variable in the source: keep it, unless it is
     * only returned */
    if (v->name && user->k != K_RETURN) return false;
    if (n->nblocks) return false;
    /* loop-carried inputs need a variable, or the condition or trip count
     * could be evaluated in the wrong order */
    if (user->k == K_LOOP && v->uses[0].offset >= 2) return false;
    if (!strcmp(user->kind, "prim::fork") || !strcmp(user->kind, "prim::rpc_async") ||
        !strcmp(user->kind, "prim::rpc_sync") || !strcmp(user->kind, "prim::rpc_remote"))
        return false;
    /* isinstance refines types when it is an if's condition; the casts are
     * already in the graph, so keep it out of the condition */
    if (n->k == K_ISINSTANCE) return false;
    return true;
}

/* The node before n that is not a constant; NULL at the start of the
 * block (PyTorch reaches the block's return node there, which never
 * matches a value's node). */
static ir_node *previous_non_constant(ir_node *n) {
    do {
        n = n->prev;
    } while (n && n->k == K_CONSTANT);
    if (!n || n->k == K_PARAM) return NULL;
    return n;
}

static ir_node *scan_node(pp *p, ir_node *n);

static ir_node *scan_value(pp *p, ir_node *block_point, ir_value *v) {
    ir_node *n = v->node;
    if (n == block_point && can_inline(v)) {
        block_point = scan_node(p, block_point);
        pp_put(p, &p->inline_nodes, n, 1);
    } else if (n->k == K_CONSTANT) {
        pp_put(p, &p->inline_nodes, n, 1);
    }
    return block_point;
}

static void scan_block(pp *p, ir_block *b);

static ir_node *scan_node(pp *p, ir_node *n) {
    if (is_inline(p, n)) return n;
    for (int i = 0; i < n->nblocks; i++) scan_block(p, n->blocks[i]);
    ir_node *bp = previous_non_constant(n);
    for (int i = n->ninputs - 1; i >= 0; i--) bp = scan_value(p, bp, n->inputs[i]);
    return bp;
}

static void scan_block(pp *p, ir_block *b) {
    scan_node(p, b->ret);
    for (ir_node *n = b->ret->prev; n && n != b->param; n = n->prev) scan_node(p, n);
}

/* constants in order of first use (inputs of a node, then its blocks) */
typedef struct node_list {
    ir_node **v;
    int n, cap;
} node_list;

static void nl_push(pp *p, node_list *l, ir_node *n) {
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 16;
        ir_node **nv = realloc(l->v, (size_t)nc * sizeof *nv);
        if (!nv) {
            pp_oom(p);
            return;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = n;
}

static void build_constant_list_block(pp *p, ir_block *b, node_list *out);

static void build_constant_list_node(pp *p, ir_node *n, node_list *out) {
    for (int i = 0; i < n->ninputs; i++) {
        ir_node *c = n->inputs[i]->node;
        if (c->k == K_CONSTANT && !pmap_has(&p->seen_consts, c)) {
            nl_push(p, out, c);
            pp_put(p, &p->seen_consts, c, 1);
        }
    }
    for (int i = 0; i < n->nblocks; i++) build_constant_list_block(p, n->blocks[i], out);
}

static void build_constant_list_block(pp *p, ir_block *b, node_list *out) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) build_constant_list_node(p, n, out);
    build_constant_list_node(p, b->ret, out);
}

/* ---- long lines ------------------------------------------------------------------------ */

static bool is_long_line(pp *p, const char *s) { return strlen(s) + (size_t)p->level * 2 >= 40; }

static bool is_non_constant_inline(pp *p, const ir_value *v) {
    return v->node->k != K_CONSTANT && is_inline(p, v->node);
}

static void print_output_definition(pp *p, ir_node *n, const char *expr) {
    assign_unique_names(p, n->outputs, n->noutputs);
    indent(p);
    if (n->noutputs > 0) print_value_list(p, p->body, n->outputs, n->noutputs, "", " = ");
    cts_sb_puts(p->body, expr);
    cts_sb_putc(p->body, '\n');
}

typedef struct value_list {
    ir_value **v;
    int n, cap;
} value_list;

static void vl_push(pp *p, value_list *l, ir_value *v) {
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 8;
        ir_value **nv = realloc(l->v, (size_t)nc * sizeof *nv);
        if (!nv) {
            pp_oom(p);
            return;
        }
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = v;
}

static void scan_long_inlines(pp *p, ir_node *user, int64_t offset, value_list *to_split) {
    intptr_t prev = 0;
    bool present = pmap_get(&p->split_visited, user, &prev);
    int64_t lo = present ? (int64_t)prev + 1 : 0;
    for (int64_t i = offset; i >= lo; i--) {
        ir_value *a = user->inputs[i];
        if (is_non_constant_inline(p, a)) vl_push(p, to_split, a);
    }
    pp_put(p, &p->split_visited, user, (intptr_t)offset);
    if (!present && is_inline(p, user)) {
        const ir_value *o = user->outputs[0];
        /* -1: the use itself is still being emitted, it cannot be split */
        if (o->nuses > 0) scan_long_inlines(p, o->uses[0].user, (int64_t)o->uses[0].offset - 1, to_split);
    }
}

/* [reordering of inlines]: when an inline expression gets too long, it
 * and every inlined argument before it in its users become statements,
 * so that evaluation order is unchanged. */
static void split_long_inlines(pp *p, ir_value *v) {
    if (v->nuses < 1) return;
    value_list l = {0};
    scan_long_inlines(p, v->uses[0].user, v->uses[0].offset, &l);
    for (int i = l.n - 1; i >= 0; i--) print_output_definition(p, l.v[i]->node, use_of(p, l.v[i]));
    free(l.v);
}

/* ---- expressions (printRHS) ---------------------------------------------------------- */

static void print_op_name(cts_strbuf *s, const char *kind) {
    if (kind[0] == '^') {
        /* a PythonOp (graph kind "^name[]()"): its code is `^name()(args)` */
        const char *br = strchr(kind, '[');
        cts_sb_putn(s, kind, br ? (size_t)(br - kind) : strlen(kind));
        cts_sb_puts(s, "()");
    } else if (!strcmp(kind, "aten::backward")) {
        cts_sb_puts(s, "torch.autograd.backward");
    } else if (!strcmp(kind, "aten::grad")) {
        cts_sb_puts(s, "torch.autograd.grad");
    } else if (!strncmp(kind, "aten::", 6)) {
        cts_sb_printf(s, "torch.%s", kind + 6);
    } else {
        const char *sep = strstr(kind, "::");
        if (sep) {
            cts_sb_puts(s, "ops.");
            cts_sb_putn(s, kind, (size_t)(sep - kind));
            cts_sb_printf(s, ".%s", sep + 2);
        } else {
            cts_sb_printf(s, "ops.%s", kind);
        }
    }
}

/* CalculateNecessaryArgs(schema args, inputs, allow_trailing_out_args=true):
 * the number of leading inputs to print and of trailing out= arguments. */
static void necessary_args(const cts_schema *s, const ir_node *n, int *num_necessary, int *num_out) {
    *num_necessary = 0;
    *num_out = 0;
    if (s->nargs == 0) return;
    int idx = s->nargs - 1;
    while (idx >= 0 && s->args[idx].is_out) idx--;
    *num_out = s->nargs - idx - 1;
    if (s->nargs < n->ninputs) {
        *num_necessary = n->ninputs;
        return;
    }
    for (; idx >= 0; idx--) {
        const cts_arg *a = &s->args[idx];
        cv_value actual;
        if (!a->has_default || idx >= n->ninputs || !const_value_of(n->inputs[idx], &actual) ||
            !ivalue_same(a->default_val, actual)) {
            *num_necessary = idx + 1;
            return;
        }
    }
}

static void print_op_call(pp *p, cts_strbuf *s, const ir_node *n) {
    print_op_name(s, n->kind);
    cts_sb_putc(s, '(');
    const cts_schema *sch = n->schema;
    if (sch && sch->nargs > 0) {
        int nec, nout;
        necessary_args(sch, n, &nec, &nout);
        for (int i = 0; i < nec && i < n->ninputs; i++) {
            if (i) cts_sb_puts(s, ", ");
            if (i < sch->nargs && sch->args[i].kwarg_only) cts_sb_printf(s, "%s=", sch->args[i].name);
            cts_sb_puts(s, use_of(p, n->inputs[i]));
        }
        for (int i = sch->nargs - nout; i < sch->nargs && i < n->ninputs; i++)
            cts_sb_printf(s, ", %s=%s", sch->args[i].name, use_of(p, n->inputs[i]));
    } else {
        print_value_list(p, s, n->inputs, n->ninputs, "", "");
    }
    cts_sb_putc(s, ')');
}

static void print_value_index(pp *p, cts_strbuf *s, const ir_node *n) {
    const char *recv = use_of(p, n->inputs[0]);
    if (is_valid_identifier(recv)) cts_sb_puts(s, recv);
    else cts_sb_printf(s, "(%s)", recv);
    cts_sb_printf(s, "[%s]", use_of(p, n->inputs[1]));
}

static void print_dict(pp *p, cts_strbuf *s, const ir_node *n) {
    cts_sb_putc(s, '{');
    for (int i = 0; i + 1 < n->ninputs; i += 2) {
        if (i) cts_sb_puts(s, ", ");
        cts_sb_printf(s, "%s: %s", use_of(p, n->inputs[i]), use_of(p, n->inputs[i + 1]));
    }
    cts_sb_putc(s, '}');
}

static bool kind_is(const ir_node *n, const char *k) { return strcmp(n->kind, k) == 0; }

static bool must_be_none(const ir_value *v) {
    const ir_node *n = v->node;
    if (v->type->kind == TY_NONE) return true;
    return n->k == K_CONSTANT && !n->fn && (!n->has_value || n->value.tag == CV_NONE);
}

static void print_rhs(pp *p, cts_strbuf *s, ir_node *n) {
    switch (n->k) {
    case K_UNINITIALIZED:
        cts_sb_puts(s, "uninitialized(");
        annot(s, n->outputs[0]->type);
        cts_sb_putc(s, ')');
        return;
    case K_CONSTANT:
        if (n->fn) {
            const ir_function *f = n->fn;
            add_fn_dep(p, f);
            cts_sb_puts(s, f->qualname);
        } else if (!n->has_value) {
            cts_sb_puts(s, "None");
        } else {
            print_constant(p, s, n->value);
        }
        return;
    case K_PRINT: print_value_list(p, s, n->inputs, n->ninputs, "print(", ")"); return;
    case K_TUPLECONSTRUCT: {
        const cts_type *t = n->outputs[0]->type;
        if (t->kind == TY_TUPLE && t->name) cts_sb_puts(s, t->name);
        print_value_list(p, s, n->inputs, n->ninputs, "(", n->ninputs == 1 ? ",)" : ")");
        return;
    }
    case K_TUPLEINDEX:
        cts_sb_printf(s, "(%s)[", use_of(p, n->inputs[0]));
        cts_sb_printf(s, "%s]", use_of(p, n->inputs[1]));
        return;
    case K_TUPLESLICE: {
        /* cts keeps beg/end as constant inputs where PyTorch has attributes */
        cv_value b = cv_int(0), e = cv_int(0);
        if (n->ninputs != 3 || !const_value_of(n->inputs[1], &b) || !const_value_of(n->inputs[2], &e) ||
            b.tag != CV_INT || e.tag != CV_INT) {
            pp_fail(p, "code printer: malformed prim::TupleSlice");
            return;
        }
        cts_sb_printf(s, "(%s)[%lld:%lld]", use_of(p, n->inputs[0]), (long long)b.u.i, (long long)e.u.i);
        return;
    }
    case K_LISTCONSTRUCT: {
        const cts_type *lt = n->outputs[0]->type;
        const cts_type *el = lt->kind == TY_LIST && lt->n == 1 ? lt->elems[0] : NULL;
        if (n->ninputs == 0) {
            cts_sb_puts(s, "annotate(");
            annot(s, lt);
            cts_sb_puts(s, ", [])");
        } else if (el && !elem_type_inferable(el)) {
            cts_sb_puts(s, "annotate(");
            annot(s, lt);
            cts_sb_puts(s, ", ");
            print_value_list(p, s, n->inputs, n->ninputs, "[", "]");
            cts_sb_putc(s, ')');
        } else {
            print_value_list(p, s, n->inputs, n->ninputs, "[", "]");
        }
        return;
    }
    case K_DICTCONSTRUCT: {
        const cts_type *dt = n->outputs[0]->type;
        bool ann = n->ninputs == 0 || (dt->kind == TY_DICT && dt->n == 2 &&
                                       (!elem_type_inferable(dt->elems[0]) || !elem_type_inferable(dt->elems[1])));
        if (ann) {
            cts_sb_puts(s, "annotate(");
            annot(s, dt);
            cts_sb_puts(s, ", ");
            print_dict(p, s, n);
            cts_sb_putc(s, ')');
        } else {
            print_dict(p, s, n);
        }
        return;
    }
    case K_CREATEOBJECT: {
        const cts_type *t = n->outputs[0]->type;
        annot(s, t);
        cts_sb_puts(s, ".__new__(");
        annot(s, t);
        cts_sb_putc(s, ')');
        return;
    }
    case K_GETATTR: {
        const char *field = n->attr_name ? n->attr_name : "";
        if (is_valid_identifier(field)) {
            cts_sb_printf(s, "%s.%s", use_of(p, n->inputs[0]), field);
        } else {
            cts_sb_printf(s, "getattr(%s, ", use_of(p, n->inputs[0]));
            cv_str_quote(field, strlen(field), s);
            cts_sb_putc(s, ')');
        }
        return;
    }
    case K_CALLFUNCTION:
        cts_sb_printf(s, "%s(", use_of(p, n->inputs[0]));
        for (int i = 1; i < n->ninputs; i++) cts_sb_printf(s, "%s, ", use_of(p, n->inputs[i]));
        cts_sb_putc(s, ')');
        return;
    case K_CALLMETHOD: {
        cts_sb_printf(s, "(%s).%s(", use_of(p, n->inputs[0]), n->attr_name ? n->attr_name : "");
        for (int i = 1; i < n->ninputs; i++) cts_sb_printf(s, "%s, ", use_of(p, n->inputs[i]));
        cts_sb_putc(s, ')');
        cts_type *self = n->inputs[0]->type;
        if (self->kind == TY_CLASS) add_type_dep(p, self);
        else pp_fail(p, "code printer: method call to unhandled type in serialization");
        return;
    }
    case K_UNCHECKEDCAST:
        cts_sb_puts(s, "unchecked_cast(");
        annot(s, n->outputs[0]->type);
        cts_sb_printf(s, ", %s)", use_of(p, n->inputs[0]));
        return;
    case K_ISINSTANCE:
        cts_sb_printf(s, "isinstance(%s, ", use_of(p, n->inputs[0]));
        if (n->ntypes == 1) {
            annot(s, n->types[0]);
        } else {
            cts_sb_putc(s, '(');
            for (int i = 0; i < n->ntypes; i++) {
                if (i) cts_sb_puts(s, ", ");
                annot(s, n->types[i]);
            }
            cts_sb_putc(s, ')');
        }
        cts_sb_putc(s, ')');
        return;
    case K_TOLIST:
        cts_sb_puts(s, "annotate(");
        annot(s, n->outputs[0]->type);
        cts_sb_printf(s, ", %s.tolist())", use_of(p, n->inputs[0]));
        return;
    default: break;
    }
    if (kind_is(n, "aten::ScalarImplicit") || kind_is(n, "aten::FloatImplicit") || kind_is(n, "aten::IntImplicit")) {
        cts_sb_puts(s, "annotate(");
        annot(s, n->outputs[0]->type);
        cts_sb_printf(s, ", %s)", use_of(p, n->inputs[0]));
    } else if (kind_is(n, "aten::Int")) {
        print_value_list(p, s, n->inputs, n->ninputs, "int(", ")");
    } else if (kind_is(n, "aten::Float")) {
        print_value_list(p, s, n->inputs, n->ninputs, "float(", ")");
    } else if (kind_is(n, "aten::Bool")) {
        print_value_list(p, s, n->inputs, n->ninputs, "bool(", ")");
    } else if (kind_is(n, "aten::str")) {
        print_value_list(p, s, n->inputs, n->ninputs, "str(", ")");
    } else if (kind_is(n, "aten::__getitem__") && n->ninputs == 2) {
        print_value_index(p, s, n);
    } else if (kind_is(n, "aten::sorted")) {
        print_value_list(p, s, n->inputs, n->ninputs, "sorted(", ")");
    } else if (kind_is(n, "aten::_unwrap_optional") && n->ninputs == 1) {
        print_op_name(s, n->kind);
        cts_sb_putc(s, '(');
        /* the type of unwrap_optional(None) cannot be recovered by schema
         * matching: annotate the None */
        if (must_be_none(n->inputs[0])) {
            cts_sb_puts(s, "annotate(Optional[");
            annot(s, n->outputs[0]->type);
            cts_sb_printf(s, "], %s)", use_of(p, n->inputs[0]));
        } else {
            cts_sb_puts(s, use_of(p, n->inputs[0]));
        }
        cts_sb_putc(s, ')');
    } else if (kind_is(n, "prim::unchecked_unwrap_optional") && n->ninputs == 1) {
        cts_sb_puts(s, "unchecked_cast(");
        annot(s, n->outputs[0]->type);
        cts_sb_printf(s, ", %s)", use_of(p, n->inputs[0]));
    } else if (kind_is(n, "prim::EnumValue") && n->ninputs == 1) {
        cts_sb_printf(s, "(%s).value", use_of(p, n->inputs[0]));
    } else if (kind_is(n, "prim::EnumName") && n->ninputs == 1) {
        cts_sb_printf(s, "(%s).name", use_of(p, n->inputs[0]));
    } else {
        print_op_call(p, s, n);
    }
}

/* ---- statements ------------------------------------------------------------------------ */

static void print_block(pp *p, ir_block *b, bool has_other_statements);
static void print_node(pp *p, ir_node *n, bool print_const);

static bool is_union_like(const cts_type *t) { return t->kind == TY_OPTIONAL || t->kind == TY_UNION; }

/* Marks v as declared with its type; true if it was not yet. */
static bool mark_annotated(pp *p, const ir_value *v) {
    if (pmap_has(&p->annotated, v)) return false;
    pp_put(p, &p->annotated, v, 1);
    return true;
}

/* An Optional/Union variable carries its annotation once, where it is
 * first assigned (`x : Optional[int] = n`); not in a tuple assignment,
 * nor for values standing for others (loop-carried block inputs). */
static void print_assignment(pp *p, ir_value *const *lhs, ir_value *const *rhs, int n) {
    if (n == 0) return;
    indent(p);
    print_value_list(p, p->body, lhs, n, "", "");
    if (n == 1 && !pmap_has(&p->annotated, lhs[0]) && !pmap_has(&p->expr, lhs[0]) && is_union_like(lhs[0]->type)) {
        cts_sb_puts(p->body, " : ");
        annot(p->body, lhs[0]->type);
        mark_annotated(p, lhs[0]);
    }
    cts_sb_puts(p->body, " = ");
    print_value_list(p, p->body, rhs, n, "", "\n");
}

/* requiresAnnotation: Optional/Union values once, others when the type
 * differs from the initial value's (note `x: T =` here, `x : T =` above) */
static bool requires_annotation(pp *p, const ir_value *lhs, const ir_value *rhs) {
    if (is_union_like(lhs->type)) return mark_annotated(p, lhs);
    return !cts_type_equal(lhs->type, rhs->type);
}

static void print_annotated_assignment(pp *p, ir_value *const *lhs, ir_value *const *rhs, int n) {
    for (int i = 0; i < n; i++) {
        indent(p);
        cts_sb_puts(p->body, use_of(p, lhs[i]));
        if (requires_annotation(p, lhs[i], rhs[i])) {
            cts_sb_puts(p->body, ": ");
            annot(p->body, lhs[i]->type);
        }
        cts_sb_printf(p->body, " = %s\n", use_of(p, rhs[i]));
    }
}

static void print_if(pp *p, ir_node *n) {
    if (n->nblocks != 2 || n->ninputs != 1) {
        pp_fail(p, "code printer: malformed prim::If");
        return;
    }
    assign_unique_names(p, n->outputs, n->noutputs);
    indent(p);
    cts_sb_printf(p->body, "if %s:\n", use_of(p, n->inputs[0]));
    for (int k = 0; k < 2; k++) {
        ir_block *b = n->blocks[k];
        if (k == 1) {
            indent(p);
            cts_sb_puts(p->body, "else:\n");
        }
        p->level++;
        print_block(p, b, n->noutputs > 0);
        if (ir_block_noutputs(b) != n->noutputs)
            pp_fail(p, "code printer: Python printer expected 2 lists of same size");
        else
            print_assignment(p, n->outputs, b->ret->inputs, n->noutputs);
        p->level--;
    }
}

enum { LOOP_WHILE, LOOP_FOR, LOOP_MODIFIED };

/* LoopView::loopType: loops are stored as (max trip count, condition);
 * which one the source used is recovered from the constants. */
static int loop_type(const ir_node *n) {
    const ir_block *body = n->blocks[0];
    cv_value trip = cv_none(), cin = cv_none(), cnext = cv_none();
    bool has_trip = const_value_of(n->inputs[0], &trip);
    bool has_cin = const_value_of(n->inputs[1], &cin);
    bool has_cnext = ir_block_noutputs(body) > 0 && const_value_of(ir_block_output(body, 0), &cnext);
    bool always_true = has_cin && cin.tag == CV_BOOL && cin.u.b && has_cnext && cnext.tag == CV_BOOL && cnext.u.b;
    bool trip_specified = !has_trip || trip.tag != CV_INT || trip.u.i != INT64_MAX ||
                          ir_block_input(body, 0)->nuses > 0;
    if (always_true) return trip_specified ? LOOP_FOR : LOOP_WHILE;
    return trip_specified ? LOOP_MODIFIED : LOOP_WHILE;
}

static void print_loop(pp *p, ir_node *n) {
    if (n->nblocks != 1 || n->ninputs < 2 || ir_block_ninputs(n->blocks[0]) < 1 ||
        ir_block_noutputs(n->blocks[0]) < 1) {
        pp_fail(p, "code printer: malformed prim::Loop");
        return;
    }
    ir_block *body = n->blocks[0];
    int lt = loop_type(n);
    if (lt == LOOP_MODIFIED) {
        pp_fail(p, "loop cannot be printed as python because it has gone through an optimization that combined "
                   "while and for loops. File a bug");
        return;
    }
    bool as_for = lt == LOOP_FOR;
    int ncarried = n->noutputs;
    if (ir_block_ninputs(body) - 1 != ncarried || n->ninputs - 2 != ncarried ||
        ir_block_noutputs(body) - 1 != ncarried) {
        pp_fail(p, "code printer: Python printer expected 2 lists of same size");
        return;
    }
    assign_unique_names(p, n->outputs, ncarried);
    /* loop-carried block inputs are the node's outputs */
    for (int i = 0; i < ncarried; i++) assign_expr(p, ir_block_input(body, i + 1), use_of(p, n->outputs[i]));
    print_annotated_assignment(p, n->outputs, n->inputs + 2, ncarried);
    ir_value *trip = ir_block_input(body, 0);
    assign_unique_names(p, &trip, 1);
    if (as_for) {
        indent(p);
        cts_sb_printf(p->body, "for %s in range(", use_of(p, trip));
        cts_sb_printf(p->body, "%s):\n", use_of(p, n->inputs[0]));
    } else {
        /* the trip-count value stands in for the condition */
        print_assignment(p, &trip, n->inputs + 1, 1);
        indent(p);
        cts_sb_printf(p->body, "while %s:\n", use_of(p, trip));
    }
    p->level++;
    int off = as_for ? 1 : 0;
    int nb = ir_block_ninputs(body) - off;
    print_block(p, body, nb > 0);
    print_assignment(p, body->param->outputs + off, body->ret->inputs + off, nb);
    p->level--;
}

static void print_node(pp *p, ir_node *n, bool print_const) {
    scan_type_deps(p, n);
    check_version(p, n);
    if (!print_const && n->k == K_CONSTANT) return;
    switch (n->k) {
    case K_RETURN:
        if (p->P->enforce_importable && n->ninputs != 1) {
            pp_fail(p, "Exportable methods must have a single return value. Normal use of ScriptMethods should "
                       "enforce this");
            return;
        }
        if (n->ninputs > 0) {
            indent(p);
            print_value_list(p, p->body, n->inputs, n->ninputs, "return ", "\n");
        }
        return;
    case K_LOOP: print_loop(p, n); return;
    case K_IF: print_if(p, n); return;
    case K_TUPLEUNPACK:
    case K_LISTUNPACK:
        assign_unique_names(p, n->outputs, n->noutputs);
        indent(p);
        /* `a, b, = t`: the trailing comma forces an unpack, even of one */
        if (n->noutputs > 0) print_value_list(p, p->body, n->outputs, n->noutputs, "", ", = ");
        cts_sb_printf(p->body, "%s\n", use_of(p, n->inputs[0]));
        return;
    case K_SETATTR:
        indent(p);
        cts_sb_printf(p->body, "%s.%s = ", use_of(p, n->inputs[0]), n->attr_name ? n->attr_name : "");
        cts_sb_printf(p->body, "%s\n", use_of(p, n->inputs[1]));
        return;
    case K_ENTER: {
        indent(p);
        cts_sb_printf(p->body, "with %s", use_of(p, n->inputs[0]));
        ir_value *out = n->noutputs ? n->outputs[0] : NULL;
        if (out && out->nuses > 0) {
            assign_ident(p, out, gen_unique_name_for(p, out));
            cts_sb_printf(p->body, " as %s", use_of(p, out));
        }
        cts_sb_puts(p->body, ":\n");
        p->level++;
        return;
    }
    case K_EXIT:
        /* an Enter right before means the with block was empty */
        if (n->prev && n->prev->k == K_ENTER) {
            indent(p);
            cts_sb_puts(p->body, "pass\n");
        }
        p->level--;
        return;
    case K_CLOSURE: pp_fail(p, "closures are not exportable"); return;
    default: break;
    }
    if (kind_is(n, "prim::fork")) {
        pp_fail(p, "code printer: prim::fork is not supported by cts yet");
        return;
    }
    if (kind_is(n, "prim::ModuleContainerIndex") && n->ninputs == 2 && n->noutputs == 1) {
        ir_value *out = n->outputs[0];
        assign_unique_names(p, &out, 1);
        indent(p);
        cts_sb_printf(p->body, "%s : ", use_of(p, out));
        annot(p->body, out->type);
        cts_sb_printf(p->body, " = %s", use_of(p, n->inputs[0]));
        cts_sb_printf(p->body, "[%s]\n", use_of(p, n->inputs[1]));
        return;
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    print_rhs(p, &sb, n);
    const char *rhs = pp_take(p, &sb);
    /* long constants are not inlined; non-constants cannot be held back
     * here because of [reordering of inlines] */
    if (!is_inline(p, n) || (n->k == K_CONSTANT && is_long_line(p, rhs))) {
        print_output_definition(p, n, rhs);
    } else {
        if (n->noutputs != 1) {
            pp_fail(p, "code printer: inlined node %s must have one output", n->kind);
            return;
        }
        assign_expr(p, n->outputs[0], rhs);
        if (is_long_line(p, rhs)) split_long_inlines(p, n->outputs[0]);
    }
}

static void print_block(pp *p, ir_block *b, bool has_other_statements) {
    /* Python's `pass`: only a block with no nodes at all gets one */
    if (!has_other_statements && ir_block_empty(b)) {
        indent(p);
        cts_sb_puts(p->body, "pass\n");
    }
    for (ir_node *n = ir_block_first(b); n != b->ret && !p->failed; n = n->next) print_node(p, n, false);
}

static void print_body(pp *p, ir_block *b) {
    /* constants print first, in order of use (most are inlined; long ones
     * become `_N = ...` lines at the top) */
    node_list consts = {0};
    build_constant_list_block(p, b, &consts);
    scan_block(p, b);
    p->level++;
    for (int i = 0; i < consts.n && !p->failed; i++) print_node(p, consts.v[i], true);
    print_block(p, b, ir_block_noutputs(b) > 0);
    if (!p->failed) print_node(p, b->ret, false);
    p->level--;
    free(consts.v);
}

/* ---- functions --------------------------------------------------------------------------- */

static void print_default_value(pp *p, cts_strbuf *s, const cts_arg *a) {
    cts_sb_putc(s, '=');
    cv_value v = a->default_val;
    /* broadcasting lists: `int[2] x=1` is [1, 1] */
    if (a->type && a->type->kind == TY_LIST && (v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL)) {
        int n = a->N > 0 ? a->N : 1;
        cts_sb_putc(s, '[');
        for (int i = 0; i < n; i++) {
            if (i) cts_sb_puts(s, ", ");
            print_constant(p, s, v);
        }
        cts_sb_putc(s, ']');
        return;
    }
    print_constant(p, s, v);
}

static void print_function(pp *p, const ir_function *fn, bool annotate_first) {
    const cts_schema *sch = fn->schema;
    const ir_graph *g = fn->graph;
    if (!sch || !g) {
        pp_fail(p, "code printer: %s is not compiled", fn->qualname ? fn->qualname : "function");
        return;
    }
    ir_block *top = g->block;
    if (ir_block_ninputs(top) != sch->nargs) {
        pp_fail(p, "code printer: %s has %d graph inputs for %d schema arguments", fn->qualname,
                ir_block_ninputs(top), sch->nargs);
        return;
    }
    pp_reset_function(p);
    cts_strbuf *o = p->body;
    indent(p);
    cts_sb_printf(o, "def %s(", fn->name);
    for (int i = 0; i < sch->nargs; i++) {
        const cts_arg *a = &sch->args[i];
        register_deps(p, a->type);
        const char *name = gen_name(p, a->name);
        if (i == 0) {
            cts_sb_puts(o, name);
            if (annotate_first) {
                cts_sb_puts(o, ": ");
                annot(o, a->type);
                mark_annotated(p, ir_block_input(top, i));
            }
        } else {
            cts_sb_printf(o, ",\n    %s: ", name);
            annot(o, a->type);
            mark_annotated(p, ir_block_input(top, i));
        }
        if (a->has_default) print_default_value(p, o, a);
        assign_ident(p, ir_block_input(top, i), name);
    }
    cts_type *rt = sch->nrets > 0 ? sch->rets[0].type : T_NONE;
    cts_sb_puts(o, ") -> ");
    annot(o, rt);
    cts_sb_puts(o, ":\n");
    register_deps(p, rt);
    print_body(p, top);
}

static int finish(pp *p, int extra_fail) {
    int rc = p->failed || extra_fail ? -1 : 0;
    if (!p->failed && p->body->oom) {
        cts_err_set(p->err, "out of memory while printing code");
        rc = -1;
    }
    pp_done(p);
    return rc;
}

int cts_printer_function(cts_printer *P, const ir_function *fn, bool annotate_first_arg, cts_err *err) {
    pp p;
    pp_init(&p, P, err);
    if (P->ctx->cu && fn->state != FN_DONE && cts_cu_ensure_compiled(P->ctx->cu, (ir_function *)fn, err)) {
        pp_done(&p);
        return -1;
    }
    print_function(&p, fn, annotate_first_arg);
    return finish(&p, 0);
}

/* ---- classes ------------------------------------------------------------------------------- */

static const char *basename_of(const char *qualname) {
    const char *d = strrchr(qualname, '.');
    return d ? d + 1 : qualname;
}

static void print_named_tuple(pp *p, const cts_type *t) {
    cts_strbuf *o = p->body;
    cts_sb_printf(o, "class %s(NamedTuple):\n", basename_of(t->name));
    p->level++;
    for (int i = 0; i < t->n; i++) {
        indent(p);
        cts_sb_printf(o, "%s : ", t->fields ? t->fields[i] : "");
        annot(o, t->elems[i]);
        cts_sb_putc(o, '\n');
    }
    p->level--;
}

static void print_interface(pp *p, const cts_class *c) {
    cts_strbuf *o = p->body;
    cts_sb_printf(o, "class %s(%s):\n", basename_of(c->qualname), c->is_module ? "ModuleInterface" : "Interface");
    p->level++;
    for (int m = 0; m < c->nmethods; m++) {
        const ir_function *f = c->methods[m].fn;
        const cts_schema *s = f ? f->schema : NULL;
        if (!s || s->nargs < 1) {
            pp_fail(p, "code printer: interface method %s has no schema", c->methods[m].name);
            return;
        }
        indent(p);
        cts_sb_printf(o, "def %s(self", c->methods[m].name);
        for (int i = 1; i < s->nargs; i++) {
            register_deps(p, s->args[i].type);
            cts_sb_printf(o, ", %s: ", s->args[i].name);
            annot(o, s->args[i].type);
        }
        cts_type *rt = s->nrets > 0 ? s->rets[0].type : T_NONE;
        register_deps(p, rt);
        cts_sb_puts(o, ") -> ");
        annot(o, rt);
        cts_sb_puts(o, ":\n");
        indent(p);
        cts_sb_puts(o, "  pass\n");
    }
    p->level--;
}

static void print_enum(pp *p, const cts_class *c) {
    cts_strbuf *o = p->body;
    cts_sb_printf(o, "class %s(Enum):\n", basename_of(c->qualname));
    p->level++;
    for (int i = 0; i < c->nconsts; i++) {
        const cv_value *v = c->consts[i].value;
        indent(p);
        cts_sb_printf(o, "%s = ", c->consts[i].name);
        /* values print with operator<<: strings wrapped in quotes, unescaped */
        if (v && v->tag == CV_STR) cts_sb_printf(o, "\"%s\"", v->u.s->data);
        else if (v && v->tag == CV_INT) cts_sb_printf(o, "%lld", (long long)v->u.i);
        else if (v) cv_repr(*v, o);
        cts_sb_putc(o, '\n');
    }
    p->level--;
}

static void print_class(pp *p, const cts_type *t) {
    const cts_class *c = t->cls;
    cts_strbuf *o = p->body;
    if (c->is_interface) {
        print_interface(p, c);
        return;
    }
    if (c->is_enum) {
        print_enum(p, c);
        return;
    }
    for (int m = 0; m < c->nmethods; m++) {
        const ir_function *f = c->methods[m].fn;
        if (!f) return; /* not a graph function (TorchBind): not printed */
    }
    indent(p);
    cts_sb_printf(o, "class %s%s:\n", basename_of(c->qualname), c->is_module ? "(Module)" : "");
    p->level++;
    if (c->is_module) {
        indent(p);
        cts_sb_puts(o, "__parameters__ = [");
        for (int i = 0; i < c->nattrs; i++)
            if (c->attrs[i].is_param) cts_sb_printf(o, "\"%s\", ", c->attrs[i].name);
        cts_sb_puts(o, "]\n");
        indent(p);
        cts_sb_puts(o, "__buffers__ = [");
        for (int i = 0; i < c->nattrs; i++)
            if (c->attrs[i].is_buffer) cts_sb_printf(o, "\"%s\", ", c->attrs[i].name);
        cts_sb_puts(o, "]\n");
    }
    for (int i = 0; i < c->nattrs; i++) {
        const cts_attr *a = &c->attrs[i];
        register_deps(p, a->type);
        indent(p);
        if (!is_valid_identifier(a->name)) {
            if (i == 0) {
                cts_sb_puts(o, "__annotations__ = []\n");
                indent(p);
            }
            cts_sb_printf(o, "__annotations__[\"%s\"] = ", a->name);
        } else {
            cts_sb_printf(o, "%s : ", a->name);
        }
        annot(o, a->type);
        cts_sb_putc(o, '\n');
    }
    for (int i = 0; i < c->nconsts; i++) {
        const cv_value *v = c->consts[i].value;
        indent(p);
        cts_sb_printf(o, "%s : Final[", c->consts[i].name);
        cts_type *vt = v ? cv_type_of(*v) : NULL;
        if (vt) {
            annot(o, vt);
            cts_type_release(vt);
        } else {
            annot(o, c->consts[i].type);
        }
        cts_sb_puts(o, "] = ");
        if (v) print_constant(p, o, *v);
        cts_sb_putc(o, '\n');
    }
    for (int m = 0; m < c->nmethods && !p->failed; m++) {
        ir_function *f = c->methods[m].fn;
        if (p->ctx->cu && f->state != FN_DONE && cts_cu_ensure_compiled(p->ctx->cu, f, p->err)) {
            p->failed = true;
            break;
        }
        print_function(p, f, true);
    }
    p->level--;
}

int cts_printer_class(cts_printer *P, const cts_type *t, cts_err *err) {
    pp p;
    pp_init(&p, P, err);
    if (t->kind == TY_TUPLE && t->name) print_named_tuple(&p, t);
    else if (t->kind == TY_CLASS && t->cls) print_class(&p, t);
    else pp_fail(&p, "code printer: cannot print a definition of this type");
    return finish(&p, 0);
}

int cts_printer_dep(cts_printer *P, const cts_print_dep *d, cts_err *err) {
    if (d->fn) return cts_printer_function(P, d->fn, true, err);
    return cts_printer_class(P, d->type, err);
}

/* ---- one-shot entry points --------------------------------------------------------------- */

int cts_print_function_code(const ir_function *fn, bool is_method_of_code_property, cts_strbuf *sb,
                            cts_printer_ctx *ctx, cts_err *err) {
    cts_printer P;
    cts_printer_init(&P, ctx, false);
    int rc = cts_printer_function(&P, fn, !is_method_of_code_property, err);
    if (rc == 0) cts_sb_puts(sb, cts_sb_str(&P.out));
    cts_printer_free(&P);
    return rc;
}

int cts_print_class(const cts_type *t, cts_strbuf *sb, cts_printer_ctx *ctx, cts_err *err) {
    cts_printer P;
    cts_printer_init(&P, ctx, true);
    int rc = cts_printer_class(&P, t, err);
    if (rc == 0) cts_sb_puts(sb, cts_sb_str(&P.out));
    cts_printer_free(&P);
    return rc;
}
