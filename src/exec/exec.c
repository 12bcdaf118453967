/* exec.c - `cts exec`: runs a Python program of the TorchScript tutorial's
 * kind.  A tree-walking evaluator over the parser's AST (the same parser
 * TorchScript uses): modules, functions, classes, instances, control flow
 * and Python's own values are handled here; every operation on tensors
 * (and torch.* calls) runs as compiled TorchScript (exec_ops.c), so eager
 * results are the interpreter's.  torch.nn.Module is exec_nn.c, torch.jit
 * exec_jit.c, the torch.nn library is Python source in src/exec/lib/.
 *
 * A construct outside the supported subset is an error naming it and its
 * line; nothing here crashes on a bad program. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../compiler/source.h"
#include "../core/pool.h"
#include "../ops/random.h"
#include "../tensor/tensor_print.h"
#include "exec.h"
#include "exec_internal.h"

#define MAX_DEPTH 200
#define MAX_ARGS 64

enum { EV_OK = 0, EV_ERR = -1, EV_RETURN = 1, EV_BREAK = 2, EV_CONTINUE = 3 };

/* ---- namespaces ---- */

void xns_init(xns *ns) {
    memset(ns, 0, sizeof *ns);
    cts_map_init(&ns->idx);
}

void xns_free(xns *ns) {
    for (int i = 0; i < ns->n; i++) {
        free(ns->names[i]);
        cv_release(ns->vals[i]);
    }
    free(ns->names);
    free(ns->vals);
    cts_map_free(&ns->idx);
    memset(ns, 0, sizeof *ns);
}

cv_value *xns_get(const xns *ns, const char *name) {
    intptr_t i = (intptr_t)cts_map_get(&ns->idx, name);
    return i ? &ns->vals[i - 1] : NULL;
}

int xns_set(xns *ns, const char *name, cv_value v, cts_err *err) {
    cv_value *p = xns_get(ns, name);
    if (p) {
        cv_assign(p, v);
        return 0;
    }
    if (ns->n == ns->cap) {
        int nc = ns->cap ? 2 * ns->cap : 8;
        char **a = realloc(ns->names, (size_t)nc * sizeof *a);
        if (a) ns->names = a;
        cv_value *b = a ? realloc(ns->vals, (size_t)nc * sizeof *b) : NULL;
        if (!b) return cts_err_oom(err, "namespace", 0);
        ns->vals = b;
        ns->cap = nc;
    }
    char *k = malloc(strlen(name) + 1);
    if (!k) return cts_err_oom(err, "namespace", 0);
    strcpy(k, name);
    if (cts_map_put(&ns->idx, k, (void *)(intptr_t)(ns->n + 1))) {
        free(k);
        return cts_err_oom(err, "namespace", 0);
    }
    cv_retain(v);
    ns->names[ns->n] = k;
    ns->vals[ns->n++] = v;
    return 0;
}

bool xns_del(xns *ns, const char *name) {
    intptr_t i = (intptr_t)cts_map_get(&ns->idx, name);
    if (!i) return false;
    int at = (int)i - 1;
    cv_release(ns->vals[at]);
    char *k = ns->names[at];
    memmove(ns->names + at, ns->names + at + 1, (size_t)(ns->n - at - 1) * sizeof *ns->names);
    memmove(ns->vals + at, ns->vals + at + 1, (size_t)(ns->n - at - 1) * sizeof *ns->vals);
    ns->n--;
    /* rebuild the index (names moved) */
    cts_map_free(&ns->idx);
    cts_map_init(&ns->idx);
    for (int j = 0; j < ns->n; j++) cts_map_put(&ns->idx, ns->names[j], (void *)(intptr_t)(j + 1));
    free(k);
    return true;
}

/* ---- objects ---- */

static void xo_destroy(cv_py *p) {
    xo *o = (xo *)p;
    if (o->kind == XO_CLASS) /* its methods may outlive it: they no longer name it (super() then fails cleanly) */
        for (int i = 0; i < o->ns.n; i++) {
            xo *f = xo_of(o->ns.vals[i]);
            if (f && f->kind == XO_FUNC && f->defined_in == o) f->defined_in = NULL;
        }
    xns_free(&o->ns);
    xns_free(&o->params);
    xns_free(&o->buffers);
    xns_free(&o->modules);
    free(o->name);
    free(o->qualifier);
    if (o->globals) cv_release((cv_value){CV_PY, {.py = &o->globals->head}});
    if (o->klass) cv_release((cv_value){CV_PY, {.py = &o->klass->head}});
    if (o->defaults && o->def)
        for (int i = 0; i < o->def->nlist; i++) cv_release(o->defaults[i]);
    free(o->defaults);
    if (o->closure) {
        xns_free(o->closure);
        free(o->closure);
    }
    cv_release(o->scripted);
    cv_release(o->base);
    cv_release(o->self);
    cv_release(o->fn);
    cv_release(o->obj);
    free(o);
}

int xo_new(xstate *x, xkind kind, const char *name, cv_value *out) {
    xo *o = calloc(1, sizeof *o);
    if (!o) return cts_err_oom(x->err, "object", 0);
    atomic_init(&o->head.rc, 1);
    o->head.destroy = xo_destroy;
    o->kind = kind;
    xns_init(&o->ns);
    xns_init(&o->params);
    xns_init(&o->buffers);
    xns_init(&o->modules);
    o->scripted = o->base = o->self = o->fn = o->obj = cv_none();
    o->training = true;
    if (name) {
        o->name = malloc(strlen(name) + 1);
        if (!o->name) {
            free(o);
            return cts_err_oom(x->err, "object", 0);
        }
        strcpy(o->name, name);
    }
    out->tag = CV_PY;
    out->u.py = &o->head;
    return 0;
}

int xo_native_new(xstate *x, const char *name, xnative_fn fn, cv_value self, cv_value *out) {
    if (xo_new(x, XO_NATIVE, name, out)) return -1;
    xo_of(*out)->native = fn;
    cv_retain(self);
    xo_of(*out)->self = self;
    return 0;
}

static cv_value pyv(xo *o) {
    cv_value v = {CV_PY, {.py = &o->head}};
    return v;
}

/* ---- errors ---- */

/* the innermost node being evaluated, for messages */
typedef struct xframe {
    xns *locals;              /* NULL at module level */
    const struct xframe *outer; /* a comprehension's enclosing frame (its names are visible), or NULL */
    xo *globals;              /* the module */
    xo *fn;                   /* the running function, or NULL */
    cv_value self;            /* first argument (zero-argument super()) */
    const cts_source *src;
} xframe;

static __thread const ast *cur_node;
static __thread const cts_source *cur_src;

int x_error(xstate *x, const char *fmt, ...) {
    if (x->err->set) return -1;
    char msg[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cur_node && cur_src) return cts_src_error(x->err, cur_src, cur_node->start, cur_node->end, "%s", msg);
    return cts_err_set(x->err, "%s", msg);
}

/* an error from below (operator, compiler) gets the program's position */
static int locate(xstate *x) {
    if (!x->err->set || !cur_node || !cur_src) return -1;
    if (strstr(x->err->msg, "File \"") && strstr(x->err->msg, cur_src->name)) return -1;
    int line, col;
    cts_src_linecol(cur_src, cur_node->start, &line, &col);
    char msg[CTS_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", x->err->msg);
    cts_err_set(x->err, "%s\n  File \"%s\", line %d", msg, cur_src->name, line);
    return -1;
}

/* ---- helpers on values ---- */

int x_list_new(xstate *x, size_t cap, cv_value *out) { return cv_list_new(T_ANY, cap, out, x->err); }

/* the element type a list of these items has in TorchScript */
static cts_type *elem_type_of(const cv_value *items, size_t n) {
    if (n == 0) return T_ANY;
    cv_tag t = items[0].tag;
    for (size_t i = 1; i < n; i++)
        if (items[i].tag != t) {
            bool num = (t == CV_INT || t == CV_FLOAT) && (items[i].tag == CV_INT || items[i].tag == CV_FLOAT);
            if (!num) return T_ANY;
            t = CV_FLOAT;
        }
    switch (t) {
    case CV_INT: return T_INT;
    case CV_FLOAT: return T_FLOAT;
    case CV_BOOL: return T_BOOL;
    case CV_STR: return T_STR;
    case CV_TENSOR: return T_TENSOR;
    default: return T_ANY;
    }
}

/* re-types a list after its items changed */
static void list_retype(cv_list *l) {
    cts_type *t = elem_type_of(l->items, l->len);
    if (t == T_FLOAT)
        for (size_t i = 0; i < l->len; i++)
            if (l->items[i].tag == CV_INT) t = T_ANY; /* mixed int/float stays a Python list */
    cts_type_retain(t);
    cts_type_release(l->elem);
    l->elem = t;
}

int x_list_push(xstate *x, cv_value list, cv_value item) {
    cv_retain(item);
    cv_list *l = list.u.l;
    if (cv_list_push(l, item, x->err)) return -1;
    /* the element type after one more item (a whole rescan would make building a list quadratic) */
    cts_type *t = elem_type_of(&item, 1);
    cts_type *want = l->len == 1 ? t : l->elem == t ? t : T_ANY;
    if (want != l->elem) {
        cts_type_retain(want);
        cts_type_release(l->elem);
        l->elem = want;
    }
    return 0;
}

static int make_tuple(xstate *x, cv_value *items, size_t n, cv_value *out) {
    return cv_tuple_new(NULL, n, items, out, x->err); /* takes the items */
}

bool x_isinstance_class(cv_value inst, const xo *cls) {
    const xo *o = xo_of(inst);
    if (!o || o->kind != XO_INST) return false;
    for (const xo *c = o->klass; c; c = xo_of(c->base))
        if (c == cls) return true;
    return false;
}

cv_value x_class_lookup(const xo *cls, const char *name) {
    for (const xo *c = cls; c; c = xo_of(c->base)) {
        cv_value *v = xns_get(&c->ns, name);
        if (v) return *v;
    }
    return cv_none();
}

static bool class_has(const xo *cls, const char *name) {
    for (const xo *c = cls; c; c = xo_of(c->base))
        if (xns_get(&c->ns, name)) return true;
    return false;
}

int x_truth(xstate *x, cv_value v, bool *out) {
    switch (v.tag) {
    case CV_NONE: *out = false; return 0;
    case CV_BOOL: *out = v.u.b; return 0;
    case CV_INT: *out = v.u.i != 0; return 0;
    case CV_FLOAT: *out = v.u.f != 0; return 0;
    case CV_STR: *out = v.u.s->len != 0; return 0;
    case CV_LIST: *out = v.u.l->len != 0; return 0;
    case CV_TUPLE: *out = v.u.tu->len != 0; return 0;
    case CV_DICT: *out = v.u.d->len != 0; return 0;
    case CV_TENSOR: {
        cv_value r;
        struct xtrace *tr = x->trace; /* Tensor.__bool__ is not recorded (PyTorch warns it makes a constant) */
        x->trace = NULL;
        int rc = x_eager(x, "return bool(a0)", &v, 1, &r);
        x->trace = tr;
        if (rc) return -1;
        *out = r.tag == CV_BOOL && r.u.b;
        return 0;
    }
    case CV_PY: {
        xo *o = xo_of(v);
        if (o->kind == XO_INST && class_has(o->klass, "__len__")) {
            cv_value m, r;
            if (x_getattr(x, v, "__len__", &m)) return -1;
            int rc = x_call(x, m, NULL, 0, NULL, NULL, 0, &r);
            cv_release(m);
            if (rc) return -1;
            *out = r.tag == CV_INT && r.u.i != 0;
            cv_release(r);
            return 0;
        }
        *out = true;
        return 0;
    }
    default: *out = true; return 0;
    }
}

/* ---- str / repr ---- */

static void py_quote(const char *s, size_t n, cts_strbuf *sb) {
    bool dq = memchr(s, '\'', n) && !memchr(s, '"', n);
    char q = dq ? '"' : '\'';
    cts_sb_putc(sb, q);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)q || c == '\\') cts_sb_printf(sb, "\\%c", c);
        else if (c == '\n') cts_sb_puts(sb, "\\n");
        else if (c == '\t') cts_sb_puts(sb, "\\t");
        else if (c == '\r') cts_sb_puts(sb, "\\r");
        else if (c < 32 || c == 127) cts_sb_printf(sb, "\\x%02x", c);
        else cts_sb_putc(sb, (char)c);
    }
    cts_sb_putc(sb, q);
}

static __thread int repr_depth;

static int repr_impl(xstate *x, cv_value v, cts_strbuf *sb, bool as_str);

/* containers and objects nest: a self-referential one is an error, not a crash */
static int repr_nested(xstate *x, cv_value v, cts_strbuf *sb, bool as_str) {
    if (repr_depth >= 200) return x_error(x, "RecursionError: maximum recursion depth exceeded while getting the repr of an object");
    repr_depth++;
    int rc = repr_impl(x, v, sb, as_str);
    repr_depth--;
    return rc;
}

static int repr_impl(xstate *x, cv_value v, cts_strbuf *sb, bool as_str) {
    switch (v.tag) {
    case CV_NONE: cts_sb_puts(sb, "None"); return 0;
    case CV_BOOL: cts_sb_puts(sb, v.u.b ? "True" : "False"); return 0;
    case CV_INT: cts_sb_printf(sb, "%lld", (long long)v.u.i); return 0;
    case CV_FLOAT: cv_float_str(v.u.f, sb); return 0;
    case CV_STR:
        if (as_str) cts_sb_putn(sb, v.u.s->data, v.u.s->len);
        else py_quote(v.u.s->data, v.u.s->len, sb);
        return 0;
    case CV_TENSOR:
        if (!v.u.t) {
            cts_sb_puts(sb, "None");
            return 0;
        }
        if (x_is_parameter(x, v)) cts_sb_puts(sb, "Parameter containing:\n");
        ct_tensor_repr_ex(v.u.t, v.u.t->requires_grad, sb);
        return 0;
    case CV_LIST:
    case CV_TUPLE: {
        bool tup = v.tag == CV_TUPLE;
        if (tup && v.u.tu->type && v.u.tu->type == x->size_type) {
            cts_sb_puts(sb, "torch.Size([");
            for (size_t i = 0; i < v.u.tu->len; i++) {
                if (i) cts_sb_puts(sb, ", ");
                if (repr_nested(x, v.u.tu->items[i], sb, false)) return -1;
            }
            cts_sb_puts(sb, "])");
            return 0;
        }
        size_t n = tup ? v.u.tu->len : v.u.l->len;
        const cv_value *it = tup ? v.u.tu->items : v.u.l->items;
        cts_sb_putc(sb, tup ? '(' : '[');
        for (size_t i = 0; i < n; i++) {
            if (i) cts_sb_puts(sb, ", ");
            if (repr_nested(x, it[i], sb, false)) return -1;
        }
        if (tup && n == 1) cts_sb_putc(sb, ',');
        cts_sb_putc(sb, tup ? ')' : ']');
        return 0;
    }
    case CV_DICT: {
        cts_sb_putc(sb, '{');
        for (size_t i = 0; i < v.u.d->len; i++) {
            if (i) cts_sb_puts(sb, ", ");
            if (repr_nested(x, v.u.d->entries[i].key, sb, false)) return -1;
            cts_sb_puts(sb, ": ");
            if (repr_nested(x, v.u.d->entries[i].val, sb, false)) return -1;
        }
        cts_sb_putc(sb, '}');
        return 0;
    }
    case CV_DEVICE:
    case CV_COMPLEX: cv_repr(v, sb); return 0;
    case CV_PY: {
        xo *o = xo_of(v);
        switch (o->kind) {
        case XO_MODULE: cts_sb_printf(sb, "<module '%s'>", o->name); return 0;
        case XO_PATH: cts_sb_printf(sb, "<built-in function %s>", o->name); return 0;
        case XO_FUNC: cts_sb_printf(sb, "<function %s>", o->name); return 0;
        case XO_CLASS: cts_sb_printf(sb, "<class '%s'>", o->name); return 0;
        case XO_NATIVE: cts_sb_printf(sb, "<built-in function %s>", o->name); return 0;
        case XO_BOUND: cts_sb_printf(sb, "<bound method %s>", xo_of(o->fn)->name); return 0;
        case XO_SMOD: return x_smod_repr(x, o, sb);
        case XO_SFN: cts_sb_printf(sb, "<torch.jit.ScriptFunction object>"); return 0;
        case XO_SUPER: cts_sb_puts(sb, "<super>"); return 0;
        case XO_INST: {
            const char *m = as_str && class_has(o->klass, "__str__") ? "__str__" : "__repr__";
            if (class_has(o->klass, m) || (o->klass->is_module && !strcmp(m, "__repr__"))) {
                if (o->klass->is_module && !xo_of(x_class_lookup(o->klass, m)))
                    return x_module_repr(x, o, sb);
                cv_value f, r;
                if (x_getattr(x, v, m, &f)) return -1;
                int rc = x_call(x, f, NULL, 0, NULL, NULL, 0, &r);
                cv_release(f);
                if (rc) return -1;
                if (r.tag != CV_STR) {
                    cv_release(r);
                    return x_error(x, "%s returned non-string", m);
                }
                cts_sb_putn(sb, r.u.s->data, r.u.s->len);
                cv_release(r);
                return 0;
            }
            cts_sb_printf(sb, "<%s object>", o->klass->name);
            return 0;
        }
        }
        return 0;
    }
    default: cts_sb_puts(sb, "<value>"); return 0;
    }
}

int x_str(xstate *x, cv_value v, cts_strbuf *sb) { return repr_nested(x, v, sb, true); }
int x_repr(xstate *x, cv_value v, cts_strbuf *sb) { return repr_nested(x, v, sb, false); }

/* ---- evaluation ---- */

static int eval(xstate *x, xframe *f, const ast *e, cv_value *out);
static int exec_block(xstate *x, xframe *f, ast **stmts, int n, cv_value *ret);

static int lookup_name(xstate *x, xframe *f, const char *name, cv_value *out) {
    cv_value *v = NULL;
    for (const xframe *fr = f; fr && !v; fr = fr->outer)
        if (fr->locals) v = xns_get(fr->locals, name);
    if (!v && f->fn && f->fn->closure) v = xns_get(f->fn->closure, name);
    if (!v) v = xns_get(&f->globals->ns, name);
    if (!v) {
        cv_value *b = NULL;
        cv_value bm;
        if (x_import(x, "builtins", &bm)) return -1;
        b = xns_get(&xo_of(bm)->ns, name);
        cv_release(bm);
        v = b;
    }
    if (!v) return x_error(x, "NameError: name '%s' is not defined", name);
    cv_retain(*v);
    *out = *v;
    return 0;
}

static int assign_name(xstate *x, xframe *f, const char *name, cv_value v) {
    return xns_set(f->locals ? f->locals : &f->globals->ns, name, v, x->err);
}

static const char *binop_text(int op) {
    switch (op) {
    case T_PLUS: return "+";
    case T_MINUS: return "-";
    case T_STAR: return "*";
    case T_SLASH: return "/";
    case T_DSLASH: return "//";
    case T_PERCENT: return "%";
    case T_POW: return "**";
    case T_AT: return "@";
    case T_AMP: return "&";
    case T_PIPE: return "|";
    case T_CARET: return "^";
    case T_LSHIFT: return "<<";
    case T_RSHIFT: return ">>";
    case T_LT: return "<";
    case T_GT: return ">";
    case T_LE: return "<=";
    case T_GE: return ">=";
    case T_EQ: return "==";
    case T_NE: return "!=";
    default: return NULL;
    }
}

static bool is_num(cv_value v) { return v.tag == CV_INT || v.tag == CV_FLOAT || v.tag == CV_BOOL; }
static double num_f(cv_value v) { return v.tag == CV_FLOAT ? v.u.f : v.tag == CV_INT ? (double)v.u.i : v.u.b; }
static int64_t num_i(cv_value v) { return v.tag == CV_INT ? v.u.i : v.u.b; }

static int seq_concat(xstate *x, cv_value a, cv_value b, cv_value *out) {
    bool tup = a.tag == CV_TUPLE;
    size_t na = tup ? a.u.tu->len : a.u.l->len, nb = tup ? b.u.tu->len : b.u.l->len;
    const cv_value *ia = tup ? a.u.tu->items : a.u.l->items, *ib = tup ? b.u.tu->items : b.u.l->items;
    if (tup) {
        cv_value *it = malloc((na + nb + 1) * sizeof *it);
        if (!it) return cts_err_oom(x->err, "tuple", 0);
        for (size_t i = 0; i < na; i++) cv_retain(it[i] = ia[i]);
        for (size_t i = 0; i < nb; i++) cv_retain(it[na + i] = ib[i]);
        int rc = make_tuple(x, it, na + nb, out);
        free(it);
        return rc;
    }
    if (x_list_new(x, na + nb, out)) return -1;
    for (size_t i = 0; i < na; i++)
        if (x_list_push(x, *out, ia[i])) return -1;
    for (size_t i = 0; i < nb; i++)
        if (x_list_push(x, *out, ib[i])) return -1;
    return 0;
}

/* seq * n for lists, tuples and strings */
static int repeat(xstate *x, cv_value a, int64_t n, cv_value *out) {
    if (n < 0) n = 0;
    size_t len = a.tag == CV_LIST ? a.u.l->len : a.tag == CV_TUPLE ? a.u.tu->len : a.u.s->len;
    if (len && (uint64_t)n > 100000000 / len) return x_error(x, "MemoryError: repeated sequence too large for cts exec");
    size_t total = len * (size_t)n;
    if (a.tag == CV_STR) {
        char *buf = malloc(total + 1);
        if (!buf) return cts_err_oom(x->err, "string", total);
        for (int64_t k = 0; k < n; k++) memcpy(buf + (size_t)k * len, a.u.s->data, len);
        int rc = cv_str_new(buf, total, out, x->err);
        free(buf);
        return rc;
    }
    const cv_value *it = a.tag == CV_LIST ? a.u.l->items : a.u.tu->items;
    if (a.tag == CV_TUPLE) {
        cv_value *items = malloc((total + 1) * sizeof *items);
        if (!items) return cts_err_oom(x->err, "tuple", total);
        for (size_t i = 0; i < total; i++) cv_retain(items[i] = it[i % len]);
        int rc = make_tuple(x, items, total, out);
        free(items);
        return rc;
    }
    if (x_list_new(x, total, out)) return -1;
    for (size_t i = 0; i < total; i++)
        if (x_list_push(x, *out, it[i % len])) {
            cv_release(*out);
            return -1;
        }
    return 0;
}

/* Python semantics for numbers, strings and sequences; tensors (and what
 * is left) as TorchScript computes them. */
static int binop(xstate *x, int op, cv_value a, cv_value b, cv_value *out) {
    if (is_num(a) && is_num(b) && op != T_AT) {
        bool fl = a.tag == CV_FLOAT || b.tag == CV_FLOAT;
        double fa = num_f(a), fb = num_f(b);
        int64_t ia = fl ? 0 : num_i(a), ib = fl ? 0 : num_i(b);
        switch (op) {
        case T_PLUS:
        case T_MINUS:
        case T_STAR: {
            if (fl) {
                *out = cv_float(op == T_PLUS ? fa + fb : op == T_MINUS ? fa - fb : fa * fb);
                return 0;
            }
            int64_t r;
            bool ovf = op == T_PLUS ? __builtin_add_overflow(ia, ib, &r)
                       : op == T_MINUS ? __builtin_sub_overflow(ia, ib, &r) : __builtin_mul_overflow(ia, ib, &r);
            if (ovf) return x_error(x, "OverflowError: integer result does not fit in 64 bits (cts exec integers are int64)");
            *out = cv_int(r);
            return 0;
        }
        case T_SLASH:
            if (fb == 0) return x_error(x, "ZeroDivisionError: division by zero");
            *out = cv_float(fa / fb);
            return 0;
        case T_DSLASH:
        case T_PERCENT:
            if (fb == 0) return x_error(x, "ZeroDivisionError: integer division or modulo by zero");
            if (fl) {
                double q = floor(fa / fb), r = fa - q * fb;
                *out = cv_float(op == T_DSLASH ? q : r);
            } else {
                if (ia == INT64_MIN && ib == -1)
                    return x_error(x, "OverflowError: integer result does not fit in 64 bits (cts exec integers are int64)");
                int64_t q = ia / ib, r = ia % ib;
                if (r != 0 && ((r < 0) != (ib < 0))) {
                    q -= 1;
                    r += ib;
                }
                *out = cv_int(op == T_DSLASH ? q : r);
            }
            return 0;
        case T_POW:
            if (!fl && ib >= 0) { /* by squaring, overflow checked */
                int64_t r = 1, base = ia, e = ib;
                while (e > 0) {
                    if ((e & 1) && __builtin_mul_overflow(r, base, &r))
                        return x_error(x, "OverflowError: integer result does not fit in 64 bits (cts exec integers are int64)");
                    e >>= 1;
                    if (e && __builtin_mul_overflow(base, base, &base))
                        return x_error(x, "OverflowError: integer result does not fit in 64 bits (cts exec integers are int64)");
                }
                *out = cv_int(r);
            } else {
                *out = cv_float(pow(fa, fb));
            }
            return 0;
        case T_LT: *out = cv_bool(fa < fb); return 0;
        case T_GT: *out = cv_bool(fa > fb); return 0;
        case T_LE: *out = cv_bool(fa <= fb); return 0;
        case T_GE: *out = cv_bool(fa >= fb); return 0;
        case T_EQ: *out = cv_bool(fa == fb); return 0;
        case T_NE: *out = cv_bool(fa != fb); return 0;
        case T_AMP: case T_PIPE: case T_CARET: case T_LSHIFT: case T_RSHIFT:
            if (fl) break;
            *out = cv_int(op == T_AMP ? (ia & ib) : op == T_PIPE ? (ia | ib) : op == T_CARET ? (ia ^ ib)
                          : op == T_LSHIFT ? (int64_t)((uint64_t)ia << (ib & 63)) : ia >> (ib & 63));
            if (a.tag == CV_BOOL && b.tag == CV_BOOL && op != T_LSHIFT && op != T_RSHIFT) *out = cv_bool(out->u.i != 0);
            return 0;
        default: break;
        }
    }
    if (a.tag == CV_STR && b.tag == CV_STR) {
        int c = strcmp(a.u.s->data, b.u.s->data);
        switch (op) {
        case T_PLUS: {
            cts_strbuf sb;
            cts_sb_init(&sb);
            cts_sb_putn(&sb, a.u.s->data, a.u.s->len);
            cts_sb_putn(&sb, b.u.s->data, b.u.s->len);
            int rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
            cts_sb_free(&sb);
            return rc;
        }
        case T_EQ: *out = cv_bool(c == 0); return 0;
        case T_NE: *out = cv_bool(c != 0); return 0;
        case T_LT: *out = cv_bool(c < 0); return 0;
        case T_GT: *out = cv_bool(c > 0); return 0;
        case T_LE: *out = cv_bool(c <= 0); return 0;
        case T_GE: *out = cv_bool(c >= 0); return 0;
        default: break;
        }
    }
    if (op == T_PLUS && a.tag == b.tag && (a.tag == CV_LIST || a.tag == CV_TUPLE)) return seq_concat(x, a, b, out);
    if ((op == T_LT || op == T_GT || op == T_LE || op == T_GE) && a.tag == b.tag &&
        (a.tag == CV_LIST || a.tag == CV_TUPLE)) { /* lexicographic, as Python */
        size_t na = a.tag == CV_LIST ? a.u.l->len : a.u.tu->len, nb = b.tag == CV_LIST ? b.u.l->len : b.u.tu->len;
        const cv_value *ia = a.tag == CV_LIST ? a.u.l->items : a.u.tu->items;
        const cv_value *ib = b.tag == CV_LIST ? b.u.l->items : b.u.tu->items;
        for (size_t i = 0; i < na && i < nb; i++) {
            cv_value r;
            bool eq;
            if (binop(x, T_EQ, ia[i], ib[i], &r)) return -1;
            int rc = x_truth(x, r, &eq);
            cv_release(r);
            if (rc) return -1;
            if (!eq) return binop(x, op, ia[i], ib[i], out);
        }
        *out = cv_bool(op == T_LT ? na < nb : op == T_GT ? na > nb : op == T_LE ? na <= nb : na >= nb);
        return 0;
    }
    if (op == T_STAR && b.tag == CV_INT && (a.tag == CV_LIST || a.tag == CV_TUPLE || a.tag == CV_STR)) {
        return repeat(x, a, b.u.i, out);
    }
    if (op == T_STAR && a.tag == CV_INT && (b.tag == CV_LIST || b.tag == CV_TUPLE || b.tag == CV_STR)) {
        return repeat(x, b, a.u.i, out);
    }
    if ((op == T_EQ || op == T_NE) && a.tag != CV_TENSOR && b.tag != CV_TENSOR) {
        /* identity first, as Python's containers compare (a list holding itself is equal to itself) */
        bool eq = (a.tag == b.tag && cv_is_heap(&a) && a.u.rc == b.u.rc) || cv_equal(a, b);
        *out = cv_bool(op == T_EQ ? eq : !eq);
        return 0;
    }
    if (a.tag == CV_PY || b.tag == CV_PY)
        return x_error(x, "TypeError: unsupported operand type(s) for %s", binop_text(op) ? binop_text(op) : "?");
    const char *t = binop_text(op);
    if (!t) return x_error(x, "unsupported operator");
    if (x->trace && (a.tag == CV_TENSOR) != (b.tag == CV_TENSOR) && (is_num(a) || is_num(b)) &&
        (op == T_PLUS || op == T_MINUS || op == T_STAR || op == T_SLASH)) {
        /* as PyTorch's tracer: a Python number is a wrapped 0-dim tensor (a constant of the graph), and
           `2 * x` is x.__rmul__(2) */
        cv_value num = is_num(a) ? a : b, ten = is_num(a) ? b : a;
        ct_tensor *w = num.tag == CV_FLOAT ? ct_tensor_scalar_f64(CT_FLOAT64, num.u.f, x->err)
                                           : ct_tensor_scalar_i64(CT_INT64, num_i(num), x->err);
        if (!w) return -1;
        cv_value wv = cv_tensor(w);
        bool reflected = is_num(a);
        if (reflected && op != T_PLUS && op != T_STAR) {
            cv_release(wv);
        } else {
            cv_value ab[2] = {ten, wv};
            char body[64];
            snprintf(body, sizeof body, "return a0 %s a1", t);
            int rc = x_eager(x, body, ab, 2, out);
            cv_release(wv);
            return rc;
        }
    }
    char body[64];
    snprintf(body, sizeof body, "return a0 %s a1", t);
    cv_value ab[2] = {a, b};
    return x_eager(x, body, ab, 2, out);
}

static int contains(xstate *x, cv_value container, cv_value item, bool *out) {
    *out = false;
    if (container.tag == CV_LIST || container.tag == CV_TUPLE) {
        size_t n = container.tag == CV_LIST ? container.u.l->len : container.u.tu->len;
        const cv_value *it = container.tag == CV_LIST ? container.u.l->items : container.u.tu->items;
        for (size_t i = 0; i < n && !*out; i++)
            if (it[i].tag != CV_TENSOR &&
                ((it[i].tag == item.tag && cv_is_heap(&item) && it[i].u.rc == item.u.rc) || cv_equal(it[i], item)))
                *out = true;
        return 0;
    }
    if (container.tag == CV_DICT) {
        *out = cv_hashable(item) && cv_dict_get(container.u.d, item) != NULL;
        return 0;
    }
    if (container.tag == CV_STR && item.tag == CV_STR) {
        *out = strstr(container.u.s->data, item.u.s->data) != NULL;
        return 0;
    }
    cv_value r, ab[2] = {item, container};
    if (x_eager(x, "return a0 in a1", ab, 2, &r)) return -1;
    *out = r.tag == CV_BOOL && r.u.b;
    return 0;
}

static int compare(xstate *x, int op, cv_value a, cv_value b, cv_value *out) {
    if (op == T_IS || op == T_ISNOT) {
        bool same = a.tag == b.tag && (a.tag == CV_NONE || (cv_is_heap(&a) ? a.u.rc == b.u.rc : cv_equal(a, b)));
        *out = cv_bool(op == T_IS ? same : !same);
        return 0;
    }
    if (op == T_IN || op == T_NOTIN) {
        bool in;
        if (contains(x, b, a, &in)) return -1;
        *out = cv_bool(op == T_IN ? in : !in);
        return 0;
    }
    return binop(x, op, a, b, out);
}

/* sequence indexing with Python's negative indices and slices */
static int py_index(xstate *x, cv_value seq, cv_value idx, cv_value *out) {
    size_t n = seq.tag == CV_LIST ? seq.u.l->len : seq.u.tu->len;
    const cv_value *it = seq.tag == CV_LIST ? seq.u.l->items : seq.u.tu->items;
    if (idx.tag != CV_INT && idx.tag != CV_BOOL) return x_error(x, "TypeError: indices must be integers");
    int64_t i = num_i(idx);
    if (i < 0) i += (int64_t)n;
    if (i < 0 || i >= (int64_t)n) return x_error(x, "IndexError: index out of range");
    cv_retain(it[i]);
    *out = it[i];
    return 0;
}

static int slice_bound(xstate *x, xframe *f, const ast *e, int64_t dflt, int64_t *out) {
    if (!e) {
        *out = dflt;
        return 0;
    }
    cv_value v;
    if (eval(x, f, e, &v)) return -1;
    if (v.tag == CV_NONE) *out = dflt;
    else if (v.tag == CV_INT) *out = v.u.i;
    else {
        cv_release(v);
        return x_error(x, "TypeError: slice indices must be integers or None");
    }
    return 0;
}

static int py_slice(xstate *x, xframe *f, cv_value seq, const ast *sl, cv_value *out) {
    int64_t start = 0, stop = 0, step = 1;
    if (slice_bound(x, f, sl->c, 1, &step)) return -1;
    if (step == 0) return x_error(x, "ValueError: slice step cannot be zero");
    if (slice_bound(x, f, sl->a, step < 0 ? INT64_MAX : 0, &start) ||
        slice_bound(x, f, sl->b, step < 0 ? INT64_MIN + 1 : INT64_MAX, &stop))
        return -1;
    if (step < 0 && start == INT64_MAX) start = INT64_MAX;
    size_t n = seq.tag == CV_LIST ? seq.u.l->len : seq.u.tu->len;
    const cv_value *it = seq.tag == CV_LIST ? seq.u.l->items : seq.u.tu->items;
    int64_t cnt = cv_slice_adjust((int64_t)n, &start, &stop, step);
    cv_value *items = calloc((size_t)(cnt > 0 ? cnt : 1), sizeof *items);
    if (!items) return cts_err_oom(x->err, "slice", 0);
    for (int64_t k = 0; k < cnt; k++) cv_retain(items[k] = it[start + k * step]);
    int rc;
    if (seq.tag == CV_TUPLE) {
        rc = make_tuple(x, items, (size_t)cnt, out);
    } else {
        rc = x_list_new(x, (size_t)cnt, out);
        for (int64_t k = 0; !rc && k < cnt; k++) rc = x_list_push(x, *out, items[k]);
        for (int64_t k = 0; k < cnt; k++) cv_release(items[k]);
    }
    free(items);
    return rc;
}

/* Tensor subscripts: x[i], x[1:3], x[:, 0], x[None] — as TorchScript text. */
static int tensor_subscript(xstate *x, xframe *f, cv_value t, const ast *e, cv_value *assign, cv_value *out) {
    cts_strbuf body;
    cts_sb_init(&body);
    cv_value args[MAX_ARGS];
    int n = 0;
    args[n++] = t;
    cv_retain(t);
    int rc = 0;
    cts_sb_puts(&body, assign ? "a0[" : "return a0[");
    for (int i = 0; i < e->nlist && !rc; i++) {
        const ast *s = e->list[i];
        if (i) cts_sb_puts(&body, ", ");
        const ast *parts[3] = {s, NULL, NULL};
        int np = 1;
        if (s->kind == A_SLICE) parts[0] = s->a, parts[1] = s->b, parts[2] = s->c, np = 3;
        for (int k = 0; k < np && !rc; k++) {
            if (k) cts_sb_putc(&body, ':');
            if (!parts[k]) continue;
            if (parts[k]->kind == A_ELLIPSIS) {
                cts_sb_puts(&body, "...");
                continue;
            }
            if (n + 2 >= MAX_ARGS) {
                rc = x_error(x, "too many subscripts");
                break;
            }
            if (eval(x, f, parts[k], &args[n])) {
                rc = -1;
                break;
            }
            if (args[n].tag == CV_NONE) {
                cts_sb_puts(&body, "None");
                continue;
            }
            cts_sb_printf(&body, "a%d", n);
            n++;
        }
    }
    if (!rc) {
        cts_sb_putc(&body, ']');
        if (assign) {
            cts_sb_printf(&body, " = a%d", n);
            cv_retain(*assign);
            args[n++] = *assign;
        }
        rc = x_eager(x, cts_sb_str(&body), args, n, out);
    }
    for (int i = 0; i < n; i++) cv_release(args[i]);
    cts_sb_free(&body);
    return rc;
}

static int subscript(xstate *x, xframe *f, const ast *e, cv_value *out) {
    cv_value obj;
    if (eval(x, f, e->a, &obj)) return -1;
    int rc;
    if (obj.tag == CV_TENSOR) {
        rc = tensor_subscript(x, f, obj, e, NULL, out);
    } else if ((obj.tag == CV_LIST || obj.tag == CV_TUPLE) && e->nlist == 1 && e->list[0]->kind == A_SLICE) {
        rc = py_slice(x, f, obj, e->list[0], out);
    } else if (e->nlist != 1) {
        rc = x_error(x, "TypeError: multiple subscripts on a non-tensor");
    } else {
        cv_value idx;
        if (eval(x, f, e->list[0], &idx)) {
            cv_release(obj);
            return -1;
        }
        if (obj.tag == CV_LIST || obj.tag == CV_TUPLE) {
            rc = py_index(x, obj, idx, out);
        } else if (obj.tag == CV_DICT) {
            cv_value *v = cv_hashable(idx) ? cv_dict_get(obj.u.d, idx) : NULL;
            if (v) {
                cv_retain(*v);
                *out = *v;
                rc = 0;
            } else {
                cts_strbuf sb;
                cts_sb_init(&sb);
                x_repr(x, idx, &sb);
                rc = x_error(x, "KeyError: %s", cts_sb_str(&sb));
                cts_sb_free(&sb);
            }
        } else if (xo_is(obj, XO_INST) && class_has(xo_of(obj)->klass, "__getitem__")) {
            cv_value m;
            rc = x_getattr(x, obj, "__getitem__", &m);
            if (!rc) {
                rc = x_call(x, m, &idx, 1, NULL, NULL, 0, out);
                cv_release(m);
            }
        } else if (xo_is(obj, XO_CLASS) || xo_is(obj, XO_PATH)) {
            *out = obj; /* typing generics (List[int]): the class itself */
            cv_retain(obj);
            rc = 0;
        } else {
            cv_value ab[2] = {obj, idx};
            rc = x_eager(x, "return a0[a1]", ab, 2, out);
        }
        cv_release(idx);
    }
    cv_release(obj);
    return rc;
}

static int store(xstate *x, xframe *f, const ast *t, cv_value v);

static int unpack_store(xstate *x, xframe *f, const ast *t, cv_value v) {
    cv_value tmp = cv_none();
    if (v.tag == CV_TENSOR) { /* a, b = tensor: along the first dimension */
        if (x_eager(x, "return a0.unbind(0)", &v, 1, &tmp)) return -1;
        v = tmp;
    }
    if (v.tag != CV_LIST && v.tag != CV_TUPLE) {
        cv_release(tmp);
        return x_error(x, "TypeError: cannot unpack a non-sequence");
    }
    size_t n = v.tag == CV_LIST ? v.u.l->len : v.u.tu->len;
    const cv_value *it = v.tag == CV_LIST ? v.u.l->items : v.u.tu->items;
    if (n != (size_t)t->nlist) {
        cv_release(tmp);
        return x_error(x, "ValueError: expected %d values to unpack, got %zu", t->nlist, n);
    }
    int rc = 0;
    for (int i = 0; i < t->nlist && !rc; i++) rc = store(x, f, t->list[i], it[i]);
    cv_release(tmp);
    return rc;
}

static int store(xstate *x, xframe *f, const ast *t, cv_value v) {
    const ast *saved = cur_node;
    cur_node = t;
    int rc;
    switch (t->kind) {
    case A_NAME: rc = assign_name(x, f, t->str, v); break;
    case A_TUPLE:
    case A_LIST: rc = unpack_store(x, f, t, v); break;
    case A_ATTR: {
        cv_value obj;
        rc = eval(x, f, t->a, &obj);
        if (!rc) {
            rc = x_setattr(x, obj, t->str, v);
            cv_release(obj);
        }
        break;
    }
    case A_SUBSCRIPT: {
        cv_value obj, idx = cv_none();
        rc = eval(x, f, t->a, &obj);
        if (rc) break;
        if (obj.tag == CV_TENSOR) {
            cv_value r;
            rc = tensor_subscript(x, f, obj, t, &v, &r);
            if (!rc) cv_release(r);
        } else if (t->nlist != 1 || t->list[0]->kind == A_SLICE) {
            rc = x_error(x, "slice assignment is not supported by cts exec");
        } else if (!(rc = eval(x, f, t->list[0], &idx))) {
            if (obj.tag == CV_LIST) {
                int64_t i = idx.tag == CV_INT ? idx.u.i : INT64_MIN;
                if (i < 0 && i != INT64_MIN) i += (int64_t)obj.u.l->len;
                if (i < 0 || i >= (int64_t)obj.u.l->len) rc = x_error(x, "IndexError: list assignment index out of range");
                else {
                    cv_assign(&obj.u.l->items[i], v);
                    list_retype(obj.u.l);
                }
            } else if (obj.tag == CV_DICT && !cv_hashable(idx)) {
                rc = x_error(x, "TypeError: unhashable dict key (cts exec keys are str, int, float, bool or tensors)");
            } else if (obj.tag == CV_DICT) {
                cv_retain(idx);
                cv_retain(v);
                rc = cv_dict_set(obj.u.d, idx, v, x->err);
                if (!rc) {
                    cts_type *vt = obj.u.d->val_type;
                    if (vt != T_ANY) {
                        cts_type_release(vt);
                        obj.u.d->val_type = T_ANY;
                    }
                }
            } else if (xo_is(obj, XO_INST) && class_has(xo_of(obj)->klass, "__setitem__")) {
                cv_value m, r, a2[2] = {idx, v};
                rc = x_getattr(x, obj, "__setitem__", &m);
                if (!rc) {
                    rc = x_call(x, m, a2, 2, NULL, NULL, 0, &r);
                    cv_release(m);
                    if (!rc) cv_release(r);
                }
            } else {
                rc = x_error(x, "TypeError: object does not support item assignment");
            }
        }
        cv_release(idx);
        cv_release(obj);
        break;
    }
    default: rc = x_error(x, "cannot assign to this expression"); break;
    }
    cur_node = saved;
    return rc;
}

/* iteration: the items of an iterable, as a new list or tuple */
static int iter_items(xstate *x, cv_value it, cv_value *out) {
    if (it.tag == CV_LIST || it.tag == CV_TUPLE) {
        cv_retain(it);
        *out = it;
        return 0;
    }
    if (it.tag == CV_DICT) {
        if (x_list_new(x, it.u.d->len, out)) return -1;
        for (size_t i = 0; i < it.u.d->len; i++)
            if (x_list_push(x, *out, it.u.d->entries[i].key)) return -1;
        return 0;
    }
    if (it.tag == CV_STR) {
        if (x_list_new(x, it.u.s->len, out)) return -1;
        for (size_t i = 0; i < it.u.s->len; i++) {
            cv_value c;
            if (cv_str_new(it.u.s->data + i, 1, &c, x->err)) return -1;
            int rc = x_list_push(x, *out, c);
            cv_release(c);
            if (rc) return -1;
        }
        return 0;
    }
    if (it.tag == CV_TENSOR) return x_eager(x, "return a0.unbind(0)", &it, 1, out);
    if (xo_is(it, XO_INST) && class_has(xo_of(it)->klass, "__iter__")) {
        cv_value m, r;
        if (x_getattr(x, it, "__iter__", &m)) return -1;
        int rc = x_call(x, m, NULL, 0, NULL, NULL, 0, &r);
        cv_release(m);
        if (rc) return -1;
        rc = iter_items(x, r, out);
        cv_release(r);
        return rc;
    }
    if (xo_is(it, XO_SMOD)) return x_error(x, "TypeError: iterating a script module is not supported by cts exec");
    return x_error(x, "TypeError: object is not iterable");
}

static int eval_call_args(xstate *x, xframe *f, const ast *e, cv_value *args, int *nargs, const char **kwn,
                          cv_value *kwv, int *nkw) {
    *nargs = *nkw = 0;
    for (int i = 0; i < e->nlist; i++) {
        const ast *a = e->list[i];
        if (a->kind == A_STARRED) {
            cv_value v, items;
            if (eval(x, f, a->a, &v)) return -1;
            int rc = iter_items(x, v, &items);
            cv_release(v);
            if (rc) return -1;
            size_t n = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
            const cv_value *it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
            for (size_t k = 0; k < n; k++) {
                if (*nargs >= MAX_ARGS) {
                    cv_release(items);
                    return x_error(x, "too many arguments");
                }
                cv_retain(args[(*nargs)++] = it[k]);
            }
            cv_release(items);
            continue;
        }
        if (*nargs >= MAX_ARGS) return x_error(x, "too many arguments");
        if (eval(x, f, a, &args[*nargs])) return -1;
        (*nargs)++;
    }
    for (int i = 0; i < e->nlist2; i++) {
        if (*nkw >= MAX_ARGS) return x_error(x, "too many keyword arguments");
        if (!strcmp(e->names[i], "**")) { /* **mapping */
            cv_value d;
            if (eval(x, f, e->list2[i], &d)) return -1;
            if (d.tag != CV_DICT) {
                cv_release(d);
                return x_error(x, "TypeError: argument after ** must be a mapping");
            }
            for (size_t k = 0; k < d.u.d->len && *nkw < MAX_ARGS; k++) {
                cv_value key = d.u.d->entries[k].key;
                if (key.tag != CV_STR) continue;
                char *nm = cts_arena_alloc(&x->arena, key.u.s->len + 1);
                if (!nm) return cts_err_oom(x->err, "keyword", 0);
                memcpy(nm, key.u.s->data, key.u.s->len + 1);
                kwn[*nkw] = nm;
                cv_retain(kwv[(*nkw)++] = d.u.d->entries[k].val);
            }
            cv_release(d);
            continue;
        }
        kwn[*nkw] = e->names[i];
        if (eval(x, f, e->list2[i], &kwv[*nkw])) return -1;
        (*nkw)++;
    }
    return 0;
}

static void release_args(cv_value *a, int n) {
    for (int i = 0; i < n; i++) cv_release(a[i]);
}

/* str.format with Python's rules for the common forms: {} {0} {name},
 * {{ }}, and specs [[fill]align][sign][width][.precision][type] with types
 * d f e g s % for numbers and strings */
static int format_one(xstate *x, cv_value v, const char *spec, cts_strbuf *sb) {
    char fill = ' ', align = 0, sign = '-', type = 0;
    int width = -1, prec = -1;
    const char *p = spec;
    if (p[0] && (p[1] == '<' || p[1] == '>' || p[1] == '^')) fill = *p++, align = *p++;
    else if (*p == '<' || *p == '>' || *p == '^') align = *p++;
    if (*p == '+' || *p == '-' || *p == ' ') sign = *p++;
    if (*p == '0' && !align) fill = '0', align = '=', p++;
    if (*p >= '0' && *p <= '9') {
        long w = strtol(p, (char **)&p, 10);
        width = w > 100000 ? 100000 : (int)w;
    }
    if (*p == '.') {
        long pr = strtol(p + 1, (char **)&p, 10);
        prec = pr > 300 ? 300 : pr < 0 ? 0 : (int)pr;
    }
    if (*p) type = *p++;
    if (*p) return x_error(x, "ValueError: format spec '%s' is not supported by cts exec", spec);
    cts_strbuf body;
    cts_sb_init(&body);
    if (!type || type == 's') {
        if (x_str(x, v, &body)) {
            cts_sb_free(&body);
            return -1;
        }
        if (prec >= 0 && type == 's' && body.len > (size_t)prec) body.s[body.len = (size_t)prec] = 0;
        if (!align) align = (v.tag == CV_INT || v.tag == CV_FLOAT) ? '>' : '<';
    } else if (is_num(v)) {
        char fmt[16], buf[512];
        double d = num_f(v);
        if (type == 'd') {
            if (v.tag == CV_FLOAT) {
                cts_sb_free(&body);
                return x_error(x, "ValueError: Unknown format code 'd' for object of type 'float'");
            }
            snprintf(buf, sizeof buf, sign == '+' ? "%+lld" : sign == ' ' ? "% lld" : "%lld", (long long)num_i(v));
        } else if (type == 'f' || type == 'e' || type == 'g' || type == 'F' || type == 'E' || type == '%') {
            if (type == '%') d *= 100;
            snprintf(fmt, sizeof fmt, "%%%s.%d%c", sign == '+' ? "+" : sign == ' ' ? " " : "", prec < 0 ? 6 : prec,
                     type == '%' ? 'f' : type);
            snprintf(buf, sizeof buf, fmt, d);
            if (type == '%') strncat(buf, "%", sizeof buf - strlen(buf) - 1);
        } else {
            cts_sb_free(&body);
            return x_error(x, "ValueError: format code '%c' is not supported by cts exec", type);
        }
        cts_sb_puts(&body, buf);
        if (!align) align = '>';
    } else {
        cts_sb_free(&body);
        return x_error(x, "ValueError: format code '%c' for a non-number", type);
    }
    int pad = width > (int)body.len ? width - (int)body.len : 0;
    const char *b = cts_sb_str(&body);
    if (align == '=' && (b[0] == '-' || b[0] == '+' || b[0] == ' ')) cts_sb_putc(sb, *b++);
    int left = align == '<' ? 0 : align == '^' ? pad / 2 : pad;
    for (int i = 0; i < left; i++) cts_sb_putc(sb, fill);
    cts_sb_puts(sb, b);
    for (int i = left; i < pad; i++) cts_sb_putc(sb, fill);
    cts_sb_free(&body);
    return 0;
}

static int str_format(xstate *x, cv_value fmt, const cv_value *args, int nargs, const char *const *kwn,
                      const cv_value *kwv, int nkw, cv_value *out) {
    const char *f = fmt.u.s->data, *end = f + fmt.u.s->len;
    cts_strbuf sb;
    cts_sb_init(&sb);
    int next = 0, rc = 0;
    while (f < end && !rc) {
        if (*f == '{' && f + 1 < end && f[1] == '{') {
            cts_sb_putc(&sb, '{');
            f += 2;
        } else if (*f == '}' && f + 1 < end && f[1] == '}') {
            cts_sb_putc(&sb, '}');
            f += 2;
        } else if (*f == '{') {
            const char *close = memchr(f, '}', (size_t)(end - f));
            if (!close) {
                rc = x_error(x, "ValueError: Single '{' encountered in format string");
                break;
            }
            char field[256];
            snprintf(field, sizeof field, "%.*s", (int)(close - f - 1), f + 1);
            char *colon = strchr(field, ':'), *spec = colon ? colon + 1 : (char *)"";
            if (colon) *colon = 0;
            cv_value v = cv_none();
            bool found = false;
            if (!field[0]) {
                if (next < nargs) v = args[next], found = true;
                next++;
            } else if (field[0] >= '0' && field[0] <= '9') {
                long i = strtol(field, NULL, 10);
                if (i < nargs) v = args[i], found = true;
            } else {
                for (int k = 0; k < nkw; k++)
                    if (!strcmp(kwn[k], field)) v = kwv[k], found = true;
            }
            if (!found) {
                rc = x_error(x, "IndexError: Replacement index %s out of range for positional args tuple",
                             field[0] ? field : "");
                break;
            }
            rc = format_one(x, v, spec, &sb);
            f = close + 1;
        } else if (*f == '}') {
            rc = x_error(x, "ValueError: Single '}' encountered in format string");
        } else {
            cts_sb_putc(&sb, *f++);
        }
    }
    if (!rc) rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
    cts_sb_free(&sb);
    return rc;
}

/* b < a with Python's <, for the sort; -1 on error */
static int sort_less(xstate *x, cv_value a, cv_value b, bool rev, bool *lt) {
    cv_value r;
    if (binop(x, T_LT, rev ? a : b, rev ? b : a, &r)) return -1;
    int rc = x_truth(x, r, lt);
    cv_release(r);
    return rc;
}

/* list.sort: a stable merge sort with Python's < (reverse keeps stability) */
static int list_sort(xstate *x, cv_list *l, bool rev) {
    size_t n = l->len;
    if (n < 2) return 0;
    cv_value *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return cts_err_oom(x->err, "sort", n);
    int rc = 0;
    for (size_t width = 1; width < n && !rc; width *= 2) {
        for (size_t lo = 0; lo < n && !rc; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool lt;
                if ((rc = sort_less(x, l->items[i], l->items[j], rev, &lt))) break;
                tmp[k++] = lt ? l->items[j++] : l->items[i++];
            }
            if (rc) break;
            while (i < mid) tmp[k++] = l->items[i++];
            while (j < hi) tmp[k++] = l->items[j++];
            memcpy(l->items + lo, tmp + lo, (hi - lo) * sizeof *tmp);
        }
    }
    free(tmp);
    return rc;
}

/* a method call on a runtime value: TorchScript's method of that type */
static int value_method(xstate *x, cv_value obj, const char *name, const cv_value *args, int nargs,
                        const char *const *kwn, const cv_value *kwv, int nkw, cv_value *out) {
    if (obj.tag == CV_LIST) {
        if (!strcmp(name, "append") && nargs == 1 && !nkw) {
            *out = cv_none();
            return x_list_push(x, obj, args[0]);
        }
        if (!strcmp(name, "extend") && nargs == 1 && !nkw) {
            cv_value items;
            if (iter_items(x, args[0], &items)) return -1;
            size_t n = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
            const cv_value *it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
            int rc = 0;
            for (size_t i = 0; i < n && !rc; i++) rc = x_list_push(x, obj, it[i]);
            cv_release(items);
            *out = cv_none();
            return rc;
        }
        if (!strcmp(name, "pop") && nargs <= 1 && !nkw) {
            cv_list *l = obj.u.l;
            if (!l->len) return x_error(x, "IndexError: pop from empty list");
            int64_t i = nargs ? num_i(args[0]) : (int64_t)l->len - 1;
            if (i < 0) i += (int64_t)l->len;
            if (i < 0 || i >= (int64_t)l->len) return x_error(x, "IndexError: pop index out of range");
            *out = l->items[i];
            memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof *l->items);
            l->len--;
            return 0;
        }
        if ((!strcmp(name, "reverse") || !strcmp(name, "clear")) && nargs == 0 && !nkw) {
            cv_list *l = obj.u.l;
            if (name[0] == 'r') {
                for (size_t i = 0; i < l->len / 2; i++) {
                    cv_value t = l->items[i];
                    l->items[i] = l->items[l->len - 1 - i];
                    l->items[l->len - 1 - i] = t;
                }
            } else {
                for (size_t i = 0; i < l->len; i++) cv_release(l->items[i]);
                l->len = 0;
            }
            *out = cv_none();
            return 0;
        }
        if ((!strcmp(name, "index") || !strcmp(name, "count") || !strcmp(name, "remove")) && nargs == 1 && !nkw) {
            cv_list *l = obj.u.l;
            int64_t found = -1, count = 0;
            for (size_t i = 0; i < l->len; i++) {
                cv_value r;
                if (binop(x, T_EQ, l->items[i], args[0], &r)) return -1;
                bool eq;
                int rc = x_truth(x, r, &eq);
                cv_release(r);
                if (rc) return -1;
                if (eq && found < 0) found = (int64_t)i;
                count += eq;
            }
            if (name[0] == 'c') {
                *out = cv_int(count);
                return 0;
            }
            if (found < 0) return x_error(x, "ValueError: list.%s(x): x not in list", name);
            if (name[0] == 'i') {
                *out = cv_int(found);
                return 0;
            }
            cv_release(l->items[found]);
            memmove(l->items + found, l->items + found + 1, (l->len - (size_t)found - 1) * sizeof *l->items);
            l->len--;
            *out = cv_none();
            return 0;
        }
        if (!strcmp(name, "sort") && nargs == 0) {
            bool rev = false;
            for (int k = 0; k < nkw; k++) {
                if (strcmp(kwn[k], "reverse") || kwv[k].tag != CV_BOOL)
                    return x_error(x, "TypeError: list.sort(): only reverse= is supported by cts exec");
                rev = kwv[k].u.b;
            }
            *out = cv_none();
            return list_sort(x, obj.u.l, rev);
        }
        if (!strcmp(name, "insert") && nargs == 2 && !nkw) {
            cv_list *l = obj.u.l;
            if (x_list_push(x, obj, cv_none())) return -1;
            int64_t i = num_i(args[0]);
            if (i < 0) i += (int64_t)l->len - 1;
            if (i < 0) i = 0;
            if (i > (int64_t)l->len - 1) i = (int64_t)l->len - 1;
            memmove(l->items + i + 1, l->items + i, (l->len - (size_t)i - 1) * sizeof *l->items);
            cv_retain(args[1]);
            l->items[i] = args[1];
            list_retype(l);
            *out = cv_none();
            return 0;
        }
    }
    if (obj.tag == CV_DICT && !nkw) {
        cv_dict *d = obj.u.d;
        bool keys = !strcmp(name, "keys"), vals = !strcmp(name, "values"), items = !strcmp(name, "items");
        if ((keys || vals || items) && nargs == 0) {
            if (x_list_new(x, d->len, out)) return -1;
            for (size_t i = 0; i < d->len; i++) {
                cv_value e;
                if (items) {
                    cv_value kv[2] = {d->entries[i].key, d->entries[i].val};
                    cv_retain(kv[0]);
                    cv_retain(kv[1]);
                    if (make_tuple(x, kv, 2, &e)) return -1;
                } else {
                    e = keys ? d->entries[i].key : d->entries[i].val;
                    cv_retain(e);
                }
                int rc = x_list_push(x, *out, e);
                cv_release(e);
                if (rc) return -1;
            }
            return 0;
        }
        if (!strcmp(name, "get") && (nargs == 1 || nargs == 2)) {
            cv_value *v = cv_hashable(args[0]) ? cv_dict_get(d, args[0]) : NULL;
            *out = v ? *v : nargs == 2 ? args[1] : cv_none();
            cv_retain(*out);
            return 0;
        }
    }
    if (obj.tag == CV_STR && !strcmp(name, "format")) return str_format(x, obj, args, nargs, kwn, kwv, nkw, out);
    if (obj.tag == CV_TENSOR && !strcmp(name, "size") && nargs == 0 && nkw == 0) { /* torch.Size */
        cv_value l;
        if (x_eager(x, "return a0.size()", &obj, 1, &l)) return -1;
        int rc = x_as_size(x, l, out);
        cv_release(l);
        return rc;
    }
    return x_eager_call(x, name, obj, true, args, nargs, kwn, kwv, nkw, out);
}

int x_as_size(xstate *x, cv_value list, cv_value *out) {
    if (list.tag != CV_LIST) {
        cv_retain(list);
        *out = list;
        return 0;
    }
    cv_value *it = calloc(list.u.l->len + 1, sizeof *it);
    if (!it) return cts_err_oom(x->err, "size", 0);
    for (size_t i = 0; i < list.u.l->len; i++) it[i] = list.u.l->items[i];
    int rc = cv_tuple_new(x->size_type, list.u.l->len, it, out, x->err);
    if (!rc)
        for (size_t i = 0; i < list.u.l->len; i++) cv_retain(it[i]);
    free(it);
    return rc;
}

static int eval_call(xstate *x, xframe *f, const ast *e, cv_value *out) {
    cv_value args[MAX_ARGS], kwv[MAX_ARGS];
    const char *kwn[MAX_ARGS];
    int nargs = 0, nkw = 0, rc;
    /* obj.method(...) on a runtime value: no bound-method object */
    if (e->a->kind == A_ATTR) {
        cv_value obj;
        if (eval(x, f, e->a->a, &obj)) return -1;
        if (obj.tag != CV_PY) {
            rc = eval_call_args(x, f, e, args, &nargs, kwn, kwv, &nkw);
            const ast *saved = cur_node;
            cur_node = e;
            if (!rc) rc = value_method(x, obj, e->a->str, args, nargs, kwn, kwv, nkw, out);
            if (rc) locate(x);
            cur_node = saved;
            cv_release(obj);
            release_args(args, nargs);
            release_args(kwv, nkw);
            return rc;
        }
        cv_value callee;
        const ast *saved = cur_node;
        cur_node = e->a;
        rc = x_getattr(x, obj, e->a->str, &callee);
        cur_node = saved;
        cv_release(obj);
        if (rc) return -1;
        rc = eval_call_args(x, f, e, args, &nargs, kwn, kwv, &nkw);
        cur_node = e;
        if (!rc) rc = x_call(x, callee, args, nargs, kwn, kwv, nkw, out);
        if (rc) locate(x);
        cur_node = saved;
        cv_release(callee);
        release_args(args, nargs);
        release_args(kwv, nkw);
        return rc;
    }
    cv_value callee;
    if (eval(x, f, e->a, &callee)) return -1;
    /* zero-argument super(): the defining class and the first argument */
    if (xo_is(callee, XO_NATIVE) && !strcmp(xo_of(callee)->name, "super") && e->nlist == 0) {
        cv_release(callee);
        if (!f->fn || !f->fn->defined_in || f->self.tag == CV_NONE)
            return x_error(x, "RuntimeError: super(): no arguments outside a method");
        if (xo_new(x, XO_SUPER, "super", out)) return -1;
        xo_of(*out)->klass = f->fn->defined_in;
        cv_retain(pyv(f->fn->defined_in));
        cv_retain(f->self);
        xo_of(*out)->self = f->self;
        return 0;
    }
    rc = eval_call_args(x, f, e, args, &nargs, kwn, kwv, &nkw);
    const ast *saved = cur_node;
    cur_node = e;
    if (!rc) rc = x_call(x, callee, args, nargs, kwn, kwv, nkw, out);
    if (rc) locate(x);
    cur_node = saved;
    cv_release(callee);
    release_args(args, nargs);
    release_args(kwv, nkw);
    return rc;
}

static int eval_seq(xstate *x, xframe *f, const ast *e, cv_value *out) {
    cv_value items;
    if (x_list_new(x, (size_t)e->nlist, &items)) return -1;
    for (int i = 0; i < e->nlist; i++) {
        const ast *el = e->list[i];
        cv_value v;
        if (el->kind == A_STARRED) {
            cv_value s, its;
            if (eval(x, f, el->a, &s)) goto fail;
            int rc = iter_items(x, s, &its);
            cv_release(s);
            if (rc) goto fail;
            size_t n = its.tag == CV_LIST ? its.u.l->len : its.u.tu->len;
            const cv_value *it = its.tag == CV_LIST ? its.u.l->items : its.u.tu->items;
            for (size_t k = 0; k < n && !rc; k++) rc = x_list_push(x, items, it[k]);
            cv_release(its);
            if (rc) goto fail;
            continue;
        }
        if (eval(x, f, el, &v)) goto fail;
        int rc = x_list_push(x, items, v);
        cv_release(v);
        if (rc) goto fail;
    }
    if (e->kind == A_LIST) {
        *out = items;
        return 0;
    }
    {
        cv_list *l = items.u.l;
        cv_value *it = malloc((l->len + 1) * sizeof *it);
        if (!it) goto fail;
        for (size_t i = 0; i < l->len; i++) cv_retain(it[i] = l->items[i]);
        int rc = make_tuple(x, it, l->len, out);
        free(it);
        cv_release(items);
        return rc;
    }
fail:
    cv_release(items);
    return -1;
}

static int eval_comp_in(xstate *x, xframe *f, const ast *e, cv_value *out);

/* A comprehension has a scope of its own (its loop variable does not leak);
 * it sees the names around it. */
static int eval_comp(xstate *x, xframe *f, const ast *e, cv_value *out) {
    cv_value iterable;
    if (eval(x, f, e->c, &iterable)) return -1; /* evaluated in the enclosing scope, as Python */
    xns locals;
    xns_init(&locals);
    xframe inner = *f;
    inner.locals = &locals;
    inner.outer = f;
    int rc = eval_comp_in(x, &inner, e, &iterable);
    xns_free(&locals);
    if (!rc) *out = iterable;
    return rc;
}

/* in: the iterable (taken), out on success: the result (in *in) */
static int eval_comp_in(xstate *x, xframe *f, const ast *e, cv_value *in) {
    cv_value iterable = *in, items, res;
    cv_value *out = &res;
    *in = cv_none();
    int rc = iter_items(x, iterable, &items);
    cv_release(iterable);
    if (rc) return -1;
    bool dict = e->kind == A_DICTCOMP;
    if (dict ? cv_dict_new(T_ANY, T_ANY, out, x->err) : x_list_new(x, 0, out)) {
        cv_release(items);
        return -1;
    }
    size_t n = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    for (size_t i = 0; i < n && !rc; i++) {
        cv_value it = items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i];
        if ((rc = store(x, f, e->b, it))) break;
        if (e->d) {
            cv_value c;
            bool ok;
            if ((rc = eval(x, f, e->d, &c))) break;
            rc = x_truth(x, c, &ok);
            cv_release(c);
            if (rc) break;
            if (!ok) continue;
        }
        cv_value v;
        if ((rc = eval(x, f, e->a, &v))) break;
        if (dict) {
            cv_value val;
            if (!cv_hashable(v)) {
                cv_release(v);
                rc = x_error(x, "TypeError: unhashable dict key (cts exec keys are str, int, float, bool or tensors)");
                break;
            }
            if ((rc = eval(x, f, e->e, &val))) {
                cv_release(v);
                break;
            }
            rc = cv_dict_set(out->u.d, v, val, x->err);
        } else {
            rc = x_list_push(x, *out, v);
            cv_release(v);
        }
    }
    cv_release(items);
    if (rc) {
        cv_release(*out);
        return -1;
    }
    *in = res;
    return 0;
}

static int eval(xstate *x, xframe *f, const ast *e, cv_value *out) {
    const ast *saved = cur_node;
    const cts_source *saved_src = cur_src;
    cur_node = e;
    cur_src = f->src;
    int rc = 0;
    switch (e->kind) {
    case A_NAME: rc = lookup_name(x, f, e->str, out); break;
    case A_INT: *out = cv_int(e->ival); break;
    case A_FLOAT: *out = cv_float(e->fval); break;
    case A_STR: rc = cv_str_new(e->str, e->slen, out, x->err); break;
    case A_TRUE: *out = cv_bool(true); break;
    case A_FALSE: *out = cv_bool(false); break;
    case A_NONE: *out = cv_none(); break;
    case A_ATTR: {
        cv_value obj;
        if ((rc = eval(x, f, e->a, &obj))) break;
        cur_node = e;
        rc = x_getattr(x, obj, e->str, out);
        cv_release(obj);
        break;
    }
    case A_CALL: rc = eval_call(x, f, e, out); break;
    case A_SUBSCRIPT: rc = subscript(x, f, e, out); break;
    case A_BINOP: {
        cv_value a, b;
        if ((rc = eval(x, f, e->a, &a))) break;
        if ((rc = eval(x, f, e->b, &b))) {
            cv_release(a);
            break;
        }
        cur_node = e;
        rc = binop(x, e->op, a, b, out);
        cv_release(a);
        cv_release(b);
        break;
    }
    case A_UNOP: {
        cv_value a;
        if ((rc = eval(x, f, e->a, &a))) break;
        cur_node = e;
        if (e->op == T_NOT) {
            bool t;
            rc = x_truth(x, a, &t);
            *out = cv_bool(!t);
        } else if (e->op == T_MINUS && a.tag == CV_INT) {
            if (a.u.i == INT64_MIN) rc = x_error(x, "OverflowError: integer result does not fit in 64 bits");
            else *out = cv_int(-a.u.i);
        } else if (e->op == T_MINUS && a.tag == CV_FLOAT) {
            *out = cv_float(-a.u.f);
        } else if (e->op == T_PLUS && is_num(a)) {
            *out = a.tag == CV_BOOL ? cv_int(a.u.b) : a;
        } else {
            rc = x_eager(x, e->op == T_MINUS ? "return -a0" : e->op == T_PLUS ? "return +a0" : "return ~a0", &a, 1,
                         out);
        }
        cv_release(a);
        break;
    }
    case A_BOOLOP: {
        cv_value a;
        bool t;
        if ((rc = eval(x, f, e->a, &a))) break;
        if ((rc = x_truth(x, a, &t))) {
            cv_release(a);
            break;
        }
        if ((e->op == T_AND) ? !t : t) {
            *out = a;
            break;
        }
        cv_release(a);
        rc = eval(x, f, e->b, out);
        break;
    }
    case A_CMP: {
        cv_value left;
        if ((rc = eval(x, f, e->list[0], &left))) break;
        *out = cv_bool(true);
        for (int i = 0; i < e->nops; i++) {
            cv_value right, r;
            if ((rc = eval(x, f, e->list[i + 1], &right))) break;
            cur_node = e;
            rc = compare(x, e->ops[i], left, right, &r);
            cv_release(left);
            left = right;
            if (rc) break;
            bool t = true;
            if (e->nops > 1 && (rc = x_truth(x, r, &t))) {
                cv_release(r);
                break;
            }
            cv_release(*out);
            *out = r;
            if (!t) break;
        }
        cv_release(left);
        if (rc) cv_release(*out);
        break;
    }
    case A_IFEXP: {
        cv_value c;
        bool t;
        if ((rc = eval(x, f, e->a, &c))) break;
        rc = x_truth(x, c, &t);
        cv_release(c);
        if (!rc) rc = eval(x, f, t ? e->b : e->c, out);
        break;
    }
    case A_TUPLE:
    case A_LIST: rc = eval_seq(x, f, e, out); break;
    case A_DICT: {
        if ((rc = cv_dict_new(T_ANY, T_ANY, out, x->err))) break;
        for (int i = 0; i < e->nlist && !rc; i++) {
            cv_value k, v;
            if ((rc = eval(x, f, e->list[i], &k))) break;
            if ((rc = eval(x, f, e->list2[i], &v))) {
                cv_release(k);
                break;
            }
            if (!cv_hashable(k)) {
                cv_release(k);
                cv_release(v);
                rc = x_error(x, "TypeError: unhashable dict key");
                break;
            }
            rc = cv_dict_set(out->u.d, k, v, x->err);
        }
        if (rc) cv_release(*out);
        break;
    }
    case A_LISTCOMP:
    case A_DICTCOMP: rc = eval_comp(x, f, e, out); break;
    case A_LAMBDA: rc = x_error(x, "lambda is not supported by cts exec"); break;
    case A_STARRED: rc = x_error(x, "starred expression is not allowed here"); break;
    case A_SLICE: rc = x_error(x, "slice outside a subscript"); break;
    case A_ELLIPSIS: rc = x_error(x, "Ellipsis outside a tensor subscript is not supported by cts exec"); break;
    default: rc = x_error(x, "this expression is not supported by cts exec"); break;
    }
    if (!rc) {
        cur_node = saved;
        cur_src = saved_src;
    }
    return rc;
}

/* ---- functions and classes ---- */

static int make_function(xstate *x, xframe *f, const ast *def, xo *defined_in, cv_value *out) {
    if (xo_new(x, XO_FUNC, def->str, out)) return -1;
    xo *fn = xo_of(*out);
    fn->def = def;
    fn->globals = f->globals;
    cv_retain(pyv(f->globals));
    fn->defined_in = defined_in;
    fn->defaults = calloc((size_t)(def->nlist ? def->nlist : 1), sizeof *fn->defaults);
    if (!fn->defaults) return cts_err_oom(x->err, "function", 0);
    for (int i = 0; i < def->nlist; i++) fn->defaults[i] = cv_uninit();
    for (int i = 0; i < def->nlist; i++)
        if (def->list[i]->b && eval(x, f, def->list[i]->b, &fn->defaults[i])) {
            fn->defaults[i] = cv_uninit();
            cv_release(*out);
            *out = cv_none();
            return -1;
        }
    if (f->locals) { /* a nested function sees its enclosing function's names (a snapshot) */
        fn->closure = calloc(1, sizeof *fn->closure);
        if (!fn->closure) return cts_err_oom(x->err, "closure", 0);
        xns_init(fn->closure);
        for (int i = 0; i < f->locals->n; i++)
            if (xns_set(fn->closure, f->locals->names[i], f->locals->vals[i], x->err)) return -1;
        if (f->fn && f->fn->closure)
            for (int i = 0; i < f->fn->closure->n; i++)
                if (!xns_get(fn->closure, f->fn->closure->names[i]) &&
                    xns_set(fn->closure, f->fn->closure->names[i], f->fn->closure->vals[i], x->err))
                    return -1;
    }
    return 0;
}

static int call_function(xstate *x, xo *fn, const cv_value *args, int nargs, const char *const *kwn,
                         const cv_value *kwv, int nkw, cv_value *out) {
    const ast *def = fn->def;
    if (x->depth >= MAX_DEPTH) return x_error(x, "RecursionError: maximum recursion depth exceeded");
    xns locals;
    xns_init(&locals);
    int rc = 0, pos = 0;
    cv_value varargs = cv_none(), varkw = cv_none();
    bool used[MAX_ARGS] = {0};
    for (int i = 0; i < def->nlist && !rc; i++) {
        const ast *p = def->list[i];
        if (p->flags & P_VARARGS) {
            int n = nargs > pos ? nargs - pos : 0;
            cv_value *it = calloc((size_t)(n ? n : 1), sizeof *it);
            if (!it) {
                rc = cts_err_oom(x->err, "arguments", 0);
                break;
            }
            for (int k = 0; k < n; k++) cv_retain(it[k] = args[pos + k]);
            pos += n;
            rc = make_tuple(x, it, (size_t)n, &varargs);
            free(it);
            if (!rc) rc = xns_set(&locals, p->str, varargs, x->err);
            continue;
        }
        if (p->flags & P_KWARGS) {
            if ((rc = cv_dict_new(T_STR, T_ANY, &varkw, x->err))) break;
            for (int k = 0; k < nkw && !rc; k++) {
                if (used[k]) continue;
                cv_value key;
                if ((rc = cv_str_from(kwn[k], &key, x->err))) break;
                cv_retain(kwv[k]);
                rc = cv_dict_set(varkw.u.d, key, kwv[k], x->err);
                used[k] = true;
            }
            if (!rc) rc = xns_set(&locals, p->str, varkw, x->err);
            continue;
        }
        cv_value v = cv_uninit();
        bool from_kw = false;
        if (!(p->flags & P_KWONLY) && pos < nargs) v = args[pos++];
        for (int k = 0; k < nkw; k++)
            if (!used[k] && !strcmp(kwn[k], p->str)) {
                if (v.tag != CV_UNINIT) {
                    rc = x_error(x, "TypeError: %s() got multiple values for argument '%s'", fn->name, p->str);
                    break;
                }
                v = kwv[k];
                used[k] = from_kw = true;
            }
        if (rc) break;
        if (v.tag == CV_UNINIT) v = fn->defaults[i];
        if (v.tag == CV_UNINIT) {
            rc = x_error(x, "TypeError: %s() missing required argument: '%s'", fn->name, p->str);
            break;
        }
        rc = xns_set(&locals, p->str, v, x->err);
    }
    if (!rc && pos < nargs)
        rc = x_error(x, "TypeError: %s() takes %d positional arguments but %d were given", fn->name, pos, nargs);
    for (int k = 0; !rc && k < nkw; k++)
        if (!used[k]) rc = x_error(x, "TypeError: %s() got an unexpected keyword argument '%s'", fn->name, kwn[k]);
    cv_release(varargs);
    cv_release(varkw);
    if (rc) {
        xns_free(&locals);
        return -1;
    }
    xframe fr = {&locals, NULL, fn->globals, fn, nargs ? args[0] : cv_none(), fn->globals->src};
    if (!fn->globals->src) fr.src = cur_src;
    const cts_source *saved_src = cur_src;
    const ast *saved_node = cur_node;
    cur_src = fr.src;
    x->depth++;
    cv_value ret = cv_none();
    const xns *saved_locals = x->locals;
    x->locals = &locals;
    int r = exec_block(x, &fr, def->list2, def->nlist2, &ret);
    x->locals = saved_locals;
    x->depth--;
    xns_free(&locals);
    if (r == EV_ERR) return -1;
    cur_src = saved_src;
    cur_node = saved_node;
    if (r == EV_BREAK || r == EV_CONTINUE) {
        cv_release(ret);
        return x_error(x, "SyntaxError: 'break' or 'continue' outside loop");
    }
    *out = ret;
    return 0;
}

static int instantiate(xstate *x, xo *cls, const cv_value *args, int nargs, const char *const *kwn,
                       const cv_value *kwv, int nkw, cv_value *out) {
    if (cls->native_class) {
        cv_value ctor = x_class_lookup(cls, "__new__");
        if (ctor.tag == CV_PY) return x_call(x, ctor, args, nargs, kwn, kwv, nkw, out);
        return x_error(x, "TypeError: cannot create '%s' instances", cls->name);
    }
    if (xo_new(x, XO_INST, cls->name, out)) return -1;
    xo *o = xo_of(*out);
    o->klass = cls;
    cv_retain(pyv(cls));
    cv_value init = x_class_lookup(cls, "__init__");
    if (init.tag == CV_NONE) {
        if (nargs || nkw) {
            cv_release(*out);
            *out = cv_none();
            return x_error(x, "TypeError: %s() takes no arguments", cls->name);
        }
        return 0;
    }
    cv_value *all = malloc((size_t)(nargs + 1) * sizeof *all);
    if (!all) {
        cv_release(*out);
        *out = cv_none();
        return cts_err_oom(x->err, "arguments", 0);
    }
    all[0] = *out;
    for (int i = 0; i < nargs; i++) all[i + 1] = args[i];
    cv_value r;
    int rc = x_call(x, init, all, nargs + 1, kwn, kwv, nkw, &r);
    free(all);
    if (rc) {
        cv_release(*out);
        *out = cv_none();
        return -1;
    }
    cv_release(r);
    return 0;
}

int x_call(xstate *x, cv_value callee, const cv_value *args, int nargs, const char *const *kwn, const cv_value *kwv,
           int nkw, cv_value *out) {
    xo *o = xo_of(callee);
    if (!o) return x_error(x, "TypeError: '%s' object is not callable", cv_tag_name(callee.tag));
    switch (o->kind) {
    case XO_FUNC: return call_function(x, o, args, nargs, kwn, kwv, nkw, out);
    case XO_CLASS: return instantiate(x, o, args, nargs, kwn, kwv, nkw, out);
    case XO_BOUND:
    case XO_NATIVE: {
        bool bound = o->self.tag != CV_NONE || o->kind == XO_BOUND;
        if (!bound) return o->native(x, args, nargs, kwn, kwv, nkw, out);
        cv_value *all = malloc((size_t)(nargs + 1) * sizeof *all);
        if (!all) return cts_err_oom(x->err, "arguments", 0);
        all[0] = o->self;
        for (int i = 0; i < nargs; i++) all[i + 1] = args[i];
        int rc = o->kind == XO_BOUND ? x_call(x, o->fn, all, nargs + 1, kwn, kwv, nkw, out)
                                     : o->native(x, all, nargs + 1, kwn, kwv, nkw, out);
        free(all);
        return rc;
    }
    case XO_PATH: return x_eager_call(x, o->name, cv_none(), false, args, nargs, kwn, kwv, nkw, out);
    case XO_INST: {
        if (o->klass->is_module && x->trace) {
            if (nkw) return x_error(x, "torch.jit.trace: keyword arguments to a submodule call are not supported by cts");
            bool handled = false;
            if (x_trace_module_call(x, o, args, nargs, out, &handled)) return -1;
            if (handled) return 0;
        }
        cv_value m;
        const char *name = o->klass->is_module ? "forward" : "__call__";
        if (!class_has(o->klass, name)) {
            if (o->klass->is_module)
                return x_error(x, "NotImplementedError: Module [%s] is missing the required \"forward\" function",
                               o->klass->name);
            return x_error(x, "TypeError: '%s' object is not callable", o->klass->name);
        }
        if (x_getattr(x, callee, name, &m)) return -1;
        int rc = x_call(x, m, args, nargs, kwn, kwv, nkw, out);
        cv_release(m);
        return rc;
    }
    case XO_SMOD: return x_smod_call(x, o, "forward", args, nargs, kwn, kwv, nkw, out);
    case XO_SFN: return x_sfn_call(x, o, args, nargs, kwn, kwv, nkw, out);
    default: return x_error(x, "TypeError: '%s' object is not callable", o->name ? o->name : "object");
    }
}

static int bind(xstate *x, cv_value fn, cv_value self, cv_value *out) {
    xo *f = xo_of(fn);
    if (f && f->kind == XO_NATIVE && f->self.tag == CV_NONE) return xo_native_new(x, f->name, f->native, self, out);
    if (f && f->kind == XO_FUNC) {
        if (xo_new(x, XO_BOUND, f->name, out)) return -1;
        cv_retain(fn);
        cv_retain(self);
        xo_of(*out)->fn = fn;
        xo_of(*out)->self = self;
        return 0;
    }
    cv_retain(fn);
    *out = fn;
    return 0;
}

int x_getattr(xstate *x, cv_value obj, const char *name, cv_value *out) {
    xo *o = xo_of(obj);
    if (!o) {
        if (obj.tag == CV_STR || obj.tag == CV_LIST || obj.tag == CV_DICT || obj.tag == CV_TUPLE ||
            (obj.tag == CV_TENSOR && 0))
            return x_error(x, "AttributeError: '%s' object has no attribute '%s' (call it: cts exec binds "
                              "methods of values only in calls)", cv_tag_name(obj.tag), name);
        if (obj.tag == CV_TENSOR) {
            char body[128];
            snprintf(body, sizeof body, "return a0.%s", name);
            if (strcmp(name, "shape") != 0) return x_eager(x, body, &obj, 1, out);
            cv_value l;
            if (x_eager(x, body, &obj, 1, &l)) return -1;
            int rc = x_as_size(x, l, out);
            cv_release(l);
            return rc;
        }
        return x_error(x, "AttributeError: '%s' object has no attribute '%s'", cv_tag_name(obj.tag), name);
    }
    switch (o->kind) {
    case XO_MODULE: {
        cv_value *v = xns_get(&o->ns, name);
        if (v) {
            cv_retain(*v);
            *out = *v;
            return 0;
        }
        /* a submodule imported later (torch.nn after `import torch`) */
        char full[512];
        snprintf(full, sizeof full, "%s.%s", o->name, name);
        if (o->native_getattr) {
            *out = o->native_getattr(x, o, name);
            if (out->tag != CV_NONE || x->err->set) return x->err->set ? -1 : 0;
        }
        cv_value sub;
        cts_err saved = *x->err;
        if (cts_exec_library_source(full, NULL) && !x_import(x, full, &sub)) {
            *out = sub;
            return 0;
        }
        if (x->err->set && !saved.set && cts_exec_library_source(full, NULL)) return -1;
        return x_error(x, "AttributeError: module '%s' has no attribute '%s'", o->name, name);
    }
    case XO_PATH: {
        char full[512];
        snprintf(full, sizeof full, "%s.%s", o->name, name);
        if (xo_new(x, XO_PATH, full, out)) return -1;
        return 0;
    }
    case XO_CLASS: {
        cv_value v = x_class_lookup(o, name);
        if (v.tag == CV_NONE && !class_has(o, name)) {
            if (!strcmp(name, "__name__")) return cv_str_from(o->name, out, x->err);
            return x_error(x, "AttributeError: type object '%s' has no attribute '%s'", o->name, name);
        }
        cv_retain(v);
        *out = v;
        return 0;
    }
    case XO_INST: {
        cv_value *v = xns_get(&o->ns, name);
        if (v) {
            cv_retain(*v);
            *out = *v;
            return 0;
        }
        if (o->klass->is_module) {
            bool found = false;
            if (x_module_getattr(x, o, name, out, &found)) return -1;
            if (found) return 0;
        }
        if (class_has(o->klass, name)) return bind(x, x_class_lookup(o->klass, name), obj, out);
        if (!strcmp(name, "__class__")) {
            cv_retain(pyv(o->klass));
            *out = pyv(o->klass);
            return 0;
        }
        return x_error(x, "AttributeError: '%s' object has no attribute '%s'", o->klass->name, name);
    }
    case XO_SUPER: {
        xo *base = xo_of(o->klass->base);
        if (!base || !class_has(base, name))
            return x_error(x, "AttributeError: 'super' object has no attribute '%s'", name);
        return bind(x, x_class_lookup(base, name), o->self, out);
    }
    case XO_SMOD: return x_smod_getattr(x, o, name, out);
    case XO_SFN: return x_sfn_getattr(x, o, name, out);
    case XO_FUNC:
        if (!strcmp(name, "__name__")) return cv_str_from(o->name, out, x->err);
        break;
    default: break;
    }
    return x_error(x, "AttributeError: object has no attribute '%s'", name);
}

int x_setattr(xstate *x, cv_value obj, const char *name, cv_value v) {
    xo *o = xo_of(obj);
    if (!o) return x_error(x, "AttributeError: cannot set attribute '%s' of a '%s'", name, cv_tag_name(obj.tag));
    switch (o->kind) {
    case XO_INST:
        if (o->klass->is_module) return x_module_setattr(x, o, name, v);
        return xns_set(&o->ns, name, v, x->err);
    case XO_MODULE:
    case XO_CLASS: return xns_set(&o->ns, name, v, x->err);
    case XO_SMOD:
        return x_error(x, "setting attribute '%s' of a script module is not supported by cts exec", name);
    default: return x_error(x, "AttributeError: cannot set attribute '%s'", name);
    }
}

static int class_def(xstate *x, xframe *f, const ast *s) {
    cv_value base = cv_none();
    if (s->nlist > 1) return x_error(x, "class %s: multiple inheritance is not supported by cts exec", s->str);
    if (s->nlist == 1) {
        if (eval(x, f, s->list[0], &base)) return -1;
        if (!xo_is(base, XO_CLASS)) {
            cv_release(base);
            return x_error(x, "TypeError: class %s: the base is not a class", s->str);
        }
    }
    cv_value cv;
    if (xo_new(x, XO_CLASS, s->str, &cv)) {
        cv_release(base);
        return -1;
    }
    xo *c = xo_of(cv);
    c->base = base;
    c->cls = s;
    c->globals = f->globals;
    cv_retain(pyv(f->globals));
    c->is_module = xo_of(base) && xo_of(base)->is_module;
    /* the body runs in the class namespace */
    int rc = 0;
    for (int i = 0; i < s->nlist2 && !rc; i++) {
        const ast *st = s->list2[i];
        cur_node = st;
        if (st->kind == S_DEF) {
            cv_value fn;
            if ((rc = make_function(x, f, st, c, &fn))) break;
            /* decorators: @torch.jit.export / unused / ignore keep the function */
            rc = xns_set(&c->ns, st->str, fn, x->err);
            cv_release(fn);
        } else if (st->kind == S_ASSIGN) {
            cv_value v;
            if ((rc = eval(x, f, st->a, &v))) break;
            for (int t = 0; t < st->nlist && !rc; t++) {
                if (st->list[t]->kind != A_NAME) rc = x_error(x, "unsupported assignment in a class body");
                else rc = xns_set(&c->ns, st->list[t]->str, v, x->err);
            }
            cv_release(v);
        } else if (st->kind == S_ANNASSIGN) {
            if (st->c && st->a->kind == A_NAME) {
                cv_value v;
                if ((rc = eval(x, f, st->c, &v))) break;
                rc = xns_set(&c->ns, st->a->str, v, x->err);
                cv_release(v);
            }
        } else if (st->kind == S_PASS || (st->kind == S_EXPR && st->a->kind == A_STR)) {
            continue;
        } else {
            rc = x_error(x, "this statement is not supported in a class body by cts exec");
        }
    }
    if (!rc) rc = assign_name(x, f, s->str, cv);
    cv_release(cv);
    return rc;
}

/* ---- imports ---- */

static int import_from(xstate *x, xframe *f, const ast *s) {
    if (s->str[0] == '.') return x_error(x, "relative imports are not supported by cts exec");
    cv_value m;
    if (x_import(x, s->str, &m)) return -1;
    int rc = 0;
    for (int i = 0; i < s->nlist && !rc; i++) {
        const ast *al = s->list[i];
        if (!strcmp(al->str, "*")) {
            xo *mo = xo_of(m);
            for (int k = 0; k < mo->ns.n && !rc; k++)
                if (mo->ns.names[k][0] != '_') rc = assign_name(x, f, mo->ns.names[k], mo->ns.vals[k]);
            continue;
        }
        cv_value v;
        char full[512];
        snprintf(full, sizeof full, "%s.%s", s->str, al->str);
        if (cts_exec_library_source(full, NULL) || !strcmp(full, "torch.nn.functional")) rc = x_import(x, full, &v);
        else rc = x_getattr(x, m, al->str, &v);
        if (rc) break;
        rc = assign_name(x, f, al->str2 ? al->str2 : al->str, v);
        cv_release(v);
    }
    cv_release(m);
    return rc;
}

static int import_stmt(xstate *x, xframe *f, const ast *s) {
    for (int i = 0; i < s->nlist; i++) {
        const ast *al = s->list[i];
        cv_value m;
        if (x_import(x, al->str, &m)) return -1;
        int rc;
        if (al->str2) {
            rc = assign_name(x, f, al->str2, m);
        } else { /* `import a.b` binds a */
            cv_release(m);
            char top[256];
            snprintf(top, sizeof top, "%s", al->str);
            char *dot = strchr(top, '.');
            if (dot) *dot = 0;
            if (x_import(x, top, &m)) return -1;
            rc = assign_name(x, f, top, m);
        }
        cv_release(m);
        if (rc) return -1;
    }
    return 0;
}

/* ---- statements ---- */

static int exec_stmt(xstate *x, xframe *f, const ast *s, cv_value *ret);

static int exec_block(xstate *x, xframe *f, ast **stmts, int n, cv_value *ret) {
    for (int i = 0; i < n; i++) {
        int r = exec_stmt(x, f, stmts[i], ret);
        if (r) return r;
    }
    return EV_OK;
}

static int decorate(xstate *x, xframe *f, const ast *s, cv_value *v) {
    for (int d = s->nlist3 - 1; d >= 0; d--) {
        cv_value dec, r;
        if (eval(x, f, s->list3[d], &dec)) return -1;
        int rc = x_call(x, dec, v, 1, NULL, NULL, 0, &r);
        cv_release(dec);
        if (rc) return -1;
        cv_release(*v);
        *v = r;
    }
    return 0;
}

static int loop_body(xstate *x, xframe *f, const ast *s, cv_value *ret, bool *stop) {
    int r = exec_block(x, f, s->list, s->nlist, ret);
    *stop = false;
    if (r == EV_BREAK) {
        *stop = true;
        return EV_OK;
    }
    if (r == EV_CONTINUE) return EV_OK;
    if (r) *stop = true;
    return r;
}

static int exec_stmt(xstate *x, xframe *f, const ast *s, cv_value *ret) {
    cur_node = s;
    cur_src = f->src;
    switch (s->kind) {
    case S_EXPR: {
        cv_value v;
        if (eval(x, f, s->a, &v)) return EV_ERR;
        cv_release(v);
        return EV_OK;
    }
    case S_ASSIGN: {
        cv_value v;
        if (eval(x, f, s->a, &v)) return EV_ERR;
        for (int i = 0; i < s->nlist; i++)
            if (store(x, f, s->list[i], v)) {
                cv_release(v);
                return EV_ERR;
            }
        cv_release(v);
        return EV_OK;
    }
    case S_ANNASSIGN: {
        if (!s->c) return EV_OK;
        cv_value v;
        if (eval(x, f, s->c, &v)) return EV_ERR;
        int rc = store(x, f, s->a, v);
        cv_release(v);
        return rc ? EV_ERR : EV_OK;
    }
    case S_AUGASSIGN: {
        cv_value cur, v, r;
        if (s->a->kind != A_NAME && s->a->kind != A_ATTR && s->a->kind != A_SUBSCRIPT)
            return x_error(x, "illegal target for augmented assignment"), EV_ERR;
        if (eval(x, f, s->a, &cur)) return EV_ERR;
        if (eval(x, f, s->b, &v)) {
            cv_release(cur);
            return EV_ERR;
        }
        cur_node = s;
        int rc;
        if (cur.tag == CV_TENSOR) { /* in place, as Python's tensor += does */
            char body[64];
            snprintf(body, sizeof body, "a0 %s= a1\n  return a0", binop_text(s->op));
            cv_value ab[2] = {cur, v};
            rc = x_eager(x, body, ab, 2, &r);
        } else if (cur.tag == CV_LIST && s->op == T_PLUS) {
            cv_value dummy;
            rc = value_method(x, cur, "extend", &v, 1, NULL, NULL, 0, &dummy);
            r = cur;
            if (!rc) cv_retain(cur);
        } else {
            rc = binop(x, s->op, cur, v, &r);
        }
        cv_release(cur);
        cv_release(v);
        if (rc) return EV_ERR;
        rc = store(x, f, s->a, r);
        cv_release(r);
        return rc ? EV_ERR : EV_OK;
    }
    case S_IF: {
        cv_value c;
        bool t;
        if (eval(x, f, s->a, &c)) return EV_ERR;
        int rc = x_truth(x, c, &t);
        cv_release(c);
        if (rc) return EV_ERR;
        return t ? exec_block(x, f, s->list, s->nlist, ret) : exec_block(x, f, s->list2, s->nlist2, ret);
    }
    case S_WHILE: {
        for (long iter = 0;; iter++) {
            cv_value c;
            bool t, stop;
            cur_node = s;
            if (eval(x, f, s->a, &c)) return EV_ERR;
            int rc = x_truth(x, c, &t);
            cv_release(c);
            if (rc) return EV_ERR;
            if (!t) return exec_block(x, f, s->list2, s->nlist2, ret);
            int r = loop_body(x, f, s, ret, &stop);
            if (stop) return r;
        }
    }
    case S_FOR: {
        cv_value it, items;
        if (eval(x, f, s->b, &it)) return EV_ERR;
        int rc = iter_items(x, it, &items);
        cv_release(it);
        if (rc) return EV_ERR;
        size_t n = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
        int r = EV_OK;
        bool broke = false;
        for (size_t i = 0; i < n; i++) {
            size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
            if (i >= len) break;
            cv_value v = items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i];
            if (store(x, f, s->a, v)) {
                r = EV_ERR;
                break;
            }
            bool stop;
            r = loop_body(x, f, s, ret, &stop);
            if (stop) {
                broke = r == EV_OK;
                break;
            }
        }
        cv_release(items);
        if (r == EV_OK && !broke) r = exec_block(x, f, s->list2, s->nlist2, ret);
        return r;
    }
    case S_RETURN:
        if (!f->locals) return x_error(x, "SyntaxError: 'return' outside function"), EV_ERR;
        *ret = cv_none();
        if (s->a && eval(x, f, s->a, ret)) return EV_ERR;
        return EV_RETURN;
    case S_BREAK: return EV_BREAK;
    case S_CONTINUE: return EV_CONTINUE;
    case S_PASS: return EV_OK;
    case S_DEF: {
        cv_value fn;
        if (make_function(x, f, s, NULL, &fn)) return EV_ERR;
        if (decorate(x, f, s, &fn)) {
            cv_release(fn);
            return EV_ERR;
        }
        int rc = assign_name(x, f, s->str, fn);
        cv_release(fn);
        return rc ? EV_ERR : EV_OK;
    }
    case S_CLASS:
        if (s->nlist3) return x_error(x, "class decorators are not supported by cts exec"), EV_ERR;
        return class_def(x, f, s) ? EV_ERR : EV_OK;
    case S_IMPORT: return import_stmt(x, f, s) ? EV_ERR : EV_OK;
    case S_IMPORTFROM: return import_from(x, f, s) ? EV_ERR : EV_OK;
    case S_RAISE: {
        if (!s->a) return x_error(x, "RuntimeError: No active exception to reraise"), EV_ERR;
        cv_value e;
        if (eval(x, f, s->a, &e)) return EV_ERR;
        cts_strbuf sb;
        cts_sb_init(&sb);
        xo *eo = xo_of(e);
        if (eo && eo->kind == XO_INST) {
            cts_sb_printf(&sb, "%s", eo->klass->name);
            cv_value *m = xns_get(&eo->ns, "args");
            if (m && m->tag == CV_TUPLE && m->u.tu->len) {
                cts_sb_puts(&sb, ": ");
                x_str(x, m->u.tu->items[0], &sb);
            }
        } else if (eo && eo->kind == XO_CLASS) {
            cts_sb_printf(&sb, "%s", eo->name);
        } else {
            x_str(x, e, &sb);
        }
        cv_release(e);
        cur_node = s;
        x_error(x, "%s", cts_sb_str(&sb));
        cts_sb_free(&sb);
        return EV_ERR;
    }
    case S_ASSERT: {
        cv_value c;
        bool t;
        if (eval(x, f, s->a, &c)) return EV_ERR;
        int rc = x_truth(x, c, &t);
        cv_release(c);
        if (rc) return EV_ERR;
        if (t) return EV_OK;
        cts_strbuf sb;
        cts_sb_init(&sb);
        cts_sb_puts(&sb, "AssertionError");
        if (s->b) {
            cv_value m;
            if (eval(x, f, s->b, &m)) {
                cts_sb_free(&sb);
                return EV_ERR;
            }
            cts_sb_puts(&sb, ": ");
            x_str(x, m, &sb);
            cv_release(m);
        }
        cur_node = s;
        x_error(x, "%s", cts_sb_str(&sb));
        cts_sb_free(&sb);
        return EV_ERR;
    }
    case S_WITH: {
        /* `with torch.no_grad():` (cts computes no gradients): the body runs */
        for (int i = 0; i < s->nlist; i++) {
            const ast *item = s->list[i];
            cv_value c;
            if (eval(x, f, item->a, &c)) return EV_ERR;
            bool ok = xo_is(c, XO_INST) && xo_of(c)->klass->native_class;
            if (!ok && xo_is(c, XO_INST)) ok = !strcmp(xo_of(c)->klass->name, "no_grad");
            cv_release(c);
            if (!ok || item->b) return x_error(x, "only `with torch.no_grad():` is supported by cts exec"), EV_ERR;
        }
        return exec_block(x, f, s->list2, s->nlist2, ret);
    }
    case S_DEL: {
        for (int i = 0; i < s->nlist; i++) {
            const ast *t = s->list[i];
            if (t->kind != A_NAME || !xns_del(f->locals ? f->locals : &f->globals->ns, t->str))
                return x_error(x, "del of this target is not supported by cts exec"), EV_ERR;
        }
        return EV_OK;
    }
    case S_GLOBAL:
    case S_NONLOCAL: return x_error(x, "global and nonlocal are not supported by cts exec"), EV_ERR;
    default: return x_error(x, "this statement is not supported by cts exec"), EV_ERR;
    }
}

/* ---- modules ---- */

int x_run_module_source(xstate *x, xo *m, const char *display, const char *text, size_t len);

int x_run_module_source(xstate *x, xo *m, const char *display, const char *text, size_t len) {
    cts_source *src = cts_arena_alloc(&x->arena, sizeof *src);
    char *nm = cts_arena_alloc(&x->arena, strlen(display) + 1);
    if (!src || !nm) return cts_err_oom(x->err, "source", 0);
    strcpy(nm, display);
    src->name = nm;
    src->text = text;
    src->len = len;
    src->python_frontend = 1;
    m->src = src;
    ast *mod = cts_parse(&x->arena, src, x->err);
    if (!mod) return -1;
    /* the unit knows the module's definitions (scripting compiles from them),
       except where cts's TorchScript library defines that module for compiled code */
    if (!cts_library_source(m->qualifier)) {
        int saved = x->cu->python_frontend;
        x->cu->python_frontend = 1;
        int rc = cts_cu_add_source(x->cu, m->qualifier, display, text, len, x->err);
        x->cu->python_frontend = saved;
        if (rc) return -1;
    }
    xframe fr = {NULL, NULL, m, NULL, cv_none(), src};
    cv_value ret = cv_none();
    const ast *sn = cur_node;
    const cts_source *ss = cur_src;
    int r = exec_block(x, &fr, mod->list, mod->nlist, &ret);
    cv_release(ret);
    if (r == EV_ERR) return -1;
    cur_node = sn;
    cur_src = ss;
    if (r != EV_OK) return x_error(x, "SyntaxError: 'break', 'continue' or 'return' outside a function");
    return 0;
}

static int new_module(xstate *x, const char *name, cv_value *out) {
    if (xo_new(x, XO_MODULE, name, out)) return -1;
    xo *m = xo_of(*out);
    char q[600];
    if (!strcmp(name, "__main__")) snprintf(q, sizeof q, "__torch__");
    else snprintf(q, sizeof q, "__torch__.%s", name);
    m->qualifier = malloc(strlen(q) + 1);
    if (!m->qualifier) return cts_err_oom(x->err, "module", 0);
    strcpy(m->qualifier, q);
    cv_value nm;
    if (cv_str_from(name, &nm, x->err)) return -1;
    int rc = xns_set(&m->ns, "__name__", nm, x->err);
    cv_release(nm);
    return rc;
}

static cv_value torch_getattr(xstate *x, xo *m, const char *name);
static cv_value path_getattr(xstate *x, xo *m, const char *name) {
    cv_value r = cv_none();
    char full[512];
    snprintf(full, sizeof full, "%s.%s", m->name, name);
    if (xo_new(x, XO_PATH, full, &r)) return cv_none();
    return r;
}

static int native_module(xstate *x, const char *name, cv_value *out);

int x_import(xstate *x, const char *name, cv_value *out) {
    cv_value *have = xns_get(&x->modules, name);
    if (have) {
        cv_retain(*have);
        *out = *have;
        return 0;
    }
    /* parents first */
    const char *dot = strrchr(name, '.');
    cv_value parent = cv_none();
    if (dot) {
        char p[512];
        snprintf(p, sizeof p, "%.*s", (int)(dot - name), name);
        if (x_import(x, p, &parent)) return -1;
        have = xns_get(&x->modules, name); /* the parent may have imported it */
        if (have) {
            cv_release(parent);
            cv_retain(*have);
            *out = *have;
            return 0;
        }
    }
    int rc = native_module(x, name, out);
    if (rc < 0) {
        cv_release(parent);
        return -1;
    }
    if (rc == 0) {
        bool pkg = false;
        const char *text = cts_exec_library_source(name, &pkg);
        if (!text) {
            cv_release(parent);
            return x_error(x, "ModuleNotFoundError: No module named '%s' (cts exec provides torch, torch.nn, "
                              "torch.nn.functional, torch.jit, torchvision.models, math, typing, collections)",
                           name);
        }
        if (new_module(x, name, out) || xns_set(&x->modules, name, *out, x->err)) {
            cv_release(parent);
            return -1;
        }
        if (parent.tag != CV_NONE && xns_set(&xo_of(parent)->ns, dot + 1, *out, x->err)) {
            cv_release(parent);
            return -1;
        }
        char disp[600];
        snprintf(disp, sizeof disp, "<cts library>/%s%s", name, pkg ? "/__init__.py" : ".py");
        for (char *p = disp + 14; *p && p < disp + 14 + strlen(name); p++)
            if (*p == '.') *p = '/';
        if (x_run_module_source(x, xo_of(*out), disp, text, strlen(text))) {
            cv_release(parent);
            cv_release(*out);
            return -1;
        }
        cv_release(parent);
        return 0;
    }
    if (xns_set(&x->modules, name, *out, x->err) ||
        (parent.tag != CV_NONE && xns_set(&xo_of(parent)->ns, dot + 1, *out, x->err))) {
        cv_release(parent);
        return -1;
    }
    cv_release(parent);
    return 0;
}

/* ---- builtins ---- */

#define NO_KW()                                                                        \
    do {                                                                               \
        (void)kwv;                                                                     \
        if (nkw) return x_error(x, "TypeError: unexpected keyword argument '%s'", kwn[0]); \
    } while (0)

NATIVE(b_print) {
    const char *sep = " ", *end = "\n";
    for (int i = 0; i < nkw; i++) {
        if (!strcmp(kwn[i], "sep") && kwv[i].tag == CV_STR) sep = kwv[i].u.s->data;
        else if (!strcmp(kwn[i], "end") && kwv[i].tag == CV_STR) end = kwv[i].u.s->data;
        else if (!strcmp(kwn[i], "flush")) continue;
        else return x_error(x, "TypeError: print() got an unexpected keyword argument '%s'", kwn[i]);
    }
    cts_strbuf sb;
    cts_sb_init(&sb);
    for (int i = 0; i < n; i++) {
        if (i) cts_sb_puts(&sb, sep);
        if (x_str(x, a[i], &sb)) {
            cts_sb_free(&sb);
            return -1;
        }
    }
    cts_sb_puts(&sb, end);
    fwrite(sb.s, 1, sb.len, x->out);
    cts_sb_free(&sb);
    *out = cv_none();
    return 0;
}

NATIVE(b_len) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: len() takes exactly one argument");
    cv_value v = a[0];
    switch (v.tag) {
    case CV_LIST: *out = cv_int((int64_t)v.u.l->len); return 0;
    case CV_TUPLE: *out = cv_int((int64_t)v.u.tu->len); return 0;
    case CV_DICT: *out = cv_int((int64_t)v.u.d->len); return 0;
    case CV_STR: *out = cv_int((int64_t)v.u.s->len); return 0;
    case CV_TENSOR: return x_eager(x, "return len(a0)", &v, 1, out);
    default: break;
    }
    if (xo_is(v, XO_INST)) {
        cv_value m;
        if (x_getattr(x, v, "__len__", &m)) return -1;
        int rc = x_call(x, m, NULL, 0, NULL, NULL, 0, out);
        cv_release(m);
        return rc;
    }
    return x_error(x, "TypeError: object has no len()");
}

NATIVE(b_range) {
    NO_KW();
    int64_t v[3] = {0, 0, 1};
    if (n < 1 || n > 3) return x_error(x, "TypeError: range expected 1 to 3 arguments");
    for (int i = 0; i < n; i++) {
        if (a[i].tag != CV_INT && a[i].tag != CV_BOOL) return x_error(x, "TypeError: range() arguments must be integers");
    }
    if (n == 1) v[1] = num_i(a[0]);
    else {
        v[0] = num_i(a[0]);
        v[1] = num_i(a[1]);
        if (n == 3) v[2] = num_i(a[2]);
    }
    if (v[2] == 0) return x_error(x, "ValueError: range() arg 3 must not be zero");
    __int128 span = v[2] > 0 ? (__int128)v[1] - v[0] : (__int128)v[0] - v[1];
    __int128 step = v[2] > 0 ? (__int128)v[2] : -(__int128)v[2];
    __int128 c128 = span > 0 ? (span + step - 1) / step : 0;
    if (c128 > 100000000) return x_error(x, "range too large for cts exec");
    int64_t cnt = (int64_t)c128;
    if (cnt > 100000000) return x_error(x, "range too large for cts exec");
    if (cv_list_new(T_INT, (size_t)cnt, out, x->err)) return -1;
    for (int64_t i = 0; i < cnt; i++)
        if (cv_list_push(out->u.l, cv_int(v[0] + i * v[2]), x->err)) return -1;
    return 0;
}

static int seq_of(xstate *x, cv_value v, cv_value *out) { return iter_items(x, v, out); }

NATIVE(b_list) {
    NO_KW();
    if (n == 0) return x_list_new(x, 0, out);
    cv_value items;
    if (seq_of(x, a[0], &items)) return -1;
    if (x_list_new(x, 0, out)) {
        cv_release(items);
        return -1;
    }
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    const cv_value *it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
    int rc = 0;
    for (size_t i = 0; i < len && !rc; i++) rc = x_list_push(x, *out, it[i]);
    cv_release(items);
    if (rc) {
        cv_release(*out);
        *out = cv_none();
    }
    return rc;
}

NATIVE(b_tuple) {
    NO_KW();
    if (n == 0) return make_tuple(x, NULL, 0, out);
    cv_value items;
    if (seq_of(x, a[0], &items)) return -1;
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    const cv_value *it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
    cv_value *c = malloc((len + 1) * sizeof *c);
    if (!c) {
        cv_release(items);
        return cts_err_oom(x->err, "tuple", 0);
    }
    for (size_t i = 0; i < len; i++) cv_retain(c[i] = it[i]);
    int rc = make_tuple(x, c, len, out);
    free(c);
    cv_release(items);
    return rc;
}

static int dict_fill(xstate *x, const cv_value *a, int n, const char *const *kwn, const cv_value *kwv, int nkw,
                     cv_value *out);

NATIVE(b_dict) {
    if (cv_dict_new(T_ANY, T_ANY, out, x->err)) return -1;
    if (dict_fill(x, a, n, kwn, kwv, nkw, out)) {
        cv_release(*out);
        *out = cv_none();
        return -1;
    }
    return 0;
}

static int dict_fill(xstate *x, const cv_value *a, int n, const char *const *kwn, const cv_value *kwv, int nkw,
                     cv_value *out) {
    if (n == 1) {
        cv_value items;
        if (a[0].tag == CV_DICT) {
            for (size_t i = 0; i < a[0].u.d->len; i++) {
                cv_retain(a[0].u.d->entries[i].key);
                cv_retain(a[0].u.d->entries[i].val);
                if (cv_dict_set(out->u.d, a[0].u.d->entries[i].key, a[0].u.d->entries[i].val, x->err)) return -1;
            }
        } else {
            if (seq_of(x, a[0], &items)) return -1;
            size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
            for (size_t i = 0; i < len; i++) {
                cv_value p = items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i];
                if (p.tag != CV_TUPLE || p.u.tu->len != 2) {
                    cv_release(items);
                    return x_error(x, "ValueError: dictionary update sequence element has wrong length");
                }
                cv_retain(p.u.tu->items[0]);
                cv_retain(p.u.tu->items[1]);
                if (cv_dict_set(out->u.d, p.u.tu->items[0], p.u.tu->items[1], x->err)) return -1;
            }
            cv_release(items);
        }
    }
    for (int i = 0; i < nkw; i++) {
        cv_value k;
        if (cv_str_from(kwn[i], &k, x->err)) return -1;
        cv_retain(kwv[i]);
        if (cv_dict_set(out->u.d, k, kwv[i], x->err)) return -1;
    }
    return 0;
}

NATIVE(b_enumerate) {
    NO_KW();
    if (n < 1) return x_error(x, "TypeError: enumerate() missing argument");
    int64_t start = n > 1 ? num_i(a[1]) : 0;
    cv_value items;
    if (seq_of(x, a[0], &items)) return -1;
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    if (x_list_new(x, len, out)) return -1;
    int rc = 0;
    for (size_t i = 0; i < len && !rc; i++) {
        cv_value p[2] = {cv_int(start + (int64_t)i), items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i]};
        cv_retain(p[1]);
        cv_value t;
        if ((rc = make_tuple(x, p, 2, &t))) break;
        rc = x_list_push(x, *out, t);
        cv_release(t);
    }
    cv_release(items);
    return rc;
}

NATIVE(b_zip) {
    NO_KW();
    cv_value seqs[8];
    if (n > 8) return x_error(x, "zip() of more than 8 sequences is not supported by cts exec");
    size_t len = SIZE_MAX;
    for (int i = 0; i < n; i++) {
        if (seq_of(x, a[i], &seqs[i])) {
            release_args(seqs, i);
            return -1;
        }
        size_t l = seqs[i].tag == CV_LIST ? seqs[i].u.l->len : seqs[i].u.tu->len;
        if (l < len) len = l;
    }
    if (n == 0) len = 0;
    int rc = x_list_new(x, len, out);
    for (size_t k = 0; k < len && !rc; k++) {
        cv_value it[8], t;
        for (int i = 0; i < n; i++) cv_retain(it[i] = seqs[i].tag == CV_LIST ? seqs[i].u.l->items[k] : seqs[i].u.tu->items[k]);
        if ((rc = make_tuple(x, it, (size_t)n, &t))) break;
        rc = x_list_push(x, *out, t);
        cv_release(t);
    }
    release_args(seqs, n);
    return rc;
}

NATIVE(b_reversed) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: reversed() takes one argument");
    cv_value items;
    if (seq_of(x, a[0], &items)) return -1;
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    int rc = x_list_new(x, len, out);
    for (size_t i = len; i-- > 0 && !rc;)
        rc = x_list_push(x, *out, items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i]);
    cv_release(items);
    return rc;
}

NATIVE(b_iter) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: iter() takes one argument");
    return seq_of(x, a[0], out);
}

NATIVE(b_isinstance) {
    NO_KW();
    if (n != 2) return x_error(x, "TypeError: isinstance expected 2 arguments");
    cv_value c = a[1];
    size_t nc = c.tag == CV_TUPLE ? c.u.tu->len : 1;
    const cv_value *cs = c.tag == CV_TUPLE ? c.u.tu->items : &c;
    bool r = false;
    for (size_t i = 0; i < nc && !r; i++) {
        xo *k = xo_of(cs[i]);
        if (k && k->kind == XO_CLASS) {
            if (cs[i].u.py == x->tensor_class.u.py) r = a[0].tag == CV_TENSOR;
            else if (cs[i].u.py == x->module_class.u.py) r = x_isinstance_class(a[0], k) || xo_is(a[0], XO_SMOD);
            else r = x_isinstance_class(a[0], k);
        } else if (k && k->kind == XO_NATIVE) {
            const char *t = k->name;
            r = (!strcmp(t, "int") && a[0].tag == CV_INT) || (!strcmp(t, "float") && a[0].tag == CV_FLOAT) ||
                (!strcmp(t, "bool") && a[0].tag == CV_BOOL) || (!strcmp(t, "str") && a[0].tag == CV_STR) ||
                (!strcmp(t, "list") && a[0].tag == CV_LIST) || (!strcmp(t, "tuple") && a[0].tag == CV_TUPLE) ||
                (!strcmp(t, "dict") && a[0].tag == CV_DICT) || (!strcmp(t, "OrderedDict") && a[0].tag == CV_DICT);
            if (!strcmp(t, "int") && a[0].tag == CV_BOOL) r = true;
        } else {
            return x_error(x, "TypeError: isinstance() arg 2 must be a type or tuple of types");
        }
    }
    *out = cv_bool(r);
    return 0;
}

static int conv_eager(xstate *x, const char *fn, cv_value v, cv_value *out) {
    char body[64];
    snprintf(body, sizeof body, "return %s(a0)", fn);
    return x_eager(x, body, &v, 1, out);
}

NATIVE(b_int) {
    NO_KW();
    if (n == 0) {
        *out = cv_int(0);
        return 0;
    }
    if (a[0].tag == CV_INT) *out = a[0];
    else if (a[0].tag == CV_BOOL) *out = cv_int(a[0].u.b);
    else if (a[0].tag == CV_FLOAT) {
        if (!isfinite(a[0].u.f)) return x_error(x, "ValueError: cannot convert float to integer");
        if (!(a[0].u.f > -9223372036854775808.0 && a[0].u.f < 9223372036854775808.0))
            return x_error(x, "OverflowError: the integer does not fit in 64 bits (cts exec integers are int64)");
        *out = cv_int((int64_t)a[0].u.f);
    } else return conv_eager(x, "int", a[0], out);
    return 0;
}

NATIVE(b_float) {
    NO_KW();
    if (n == 0) *out = cv_float(0);
    else if (is_num(a[0])) *out = cv_float(num_f(a[0]));
    else return conv_eager(x, "float", a[0], out);
    return 0;
}

NATIVE(b_bool) {
    NO_KW();
    bool t = false;
    if (n && x_truth(x, a[0], &t)) return -1;
    *out = cv_bool(t);
    return 0;
}

NATIVE(b_str) {
    NO_KW();
    if (n == 0) return cv_str_from("", out, x->err);
    cts_strbuf sb;
    cts_sb_init(&sb);
    int rc = x_str(x, a[0], &sb);
    if (!rc) rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
    cts_sb_free(&sb);
    return rc;
}

NATIVE(b_repr) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: repr() takes one argument");
    cts_strbuf sb;
    cts_sb_init(&sb);
    int rc = x_repr(x, a[0], &sb);
    if (!rc) rc = cv_str_new(cts_sb_str(&sb), sb.len, out, x->err);
    cts_sb_free(&sb);
    return rc;
}

static int minmax(xstate *x, const cv_value *a, int n, bool want_max, cv_value *out) {
    cv_value items = cv_none();
    const cv_value *it = a;
    size_t len = (size_t)n;
    if (n == 1) {
        if (a[0].tag == CV_TENSOR) return conv_eager(x, want_max ? "torch.max" : "torch.min", a[0], out);
        if (seq_of(x, a[0], &items)) return -1;
        len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
        it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
    }
    if (len == 0) {
        cv_release(items);
        return x_error(x, "ValueError: %s() arg is an empty sequence", want_max ? "max" : "min");
    }
    cv_value best = it[0];
    for (size_t i = 1; i < len; i++) {
        cv_value r;
        if (binop(x, want_max ? T_GT : T_LT, it[i], best, &r)) {
            cv_release(items);
            return -1;
        }
        bool t;
        int rc = x_truth(x, r, &t);
        cv_release(r);
        if (rc) {
            cv_release(items);
            return -1;
        }
        if (t) best = it[i];
    }
    cv_retain(best);
    *out = best;
    cv_release(items);
    return 0;
}

NATIVE(b_max) {
    NO_KW();
    return minmax(x, a, n, true, out);
}
NATIVE(b_min) {
    NO_KW();
    return minmax(x, a, n, false, out);
}

NATIVE(b_abs) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: abs() takes one argument");
    if (a[0].tag == CV_INT && a[0].u.i == INT64_MIN) return x_error(x, "OverflowError: integer result does not fit in 64 bits");
    if (a[0].tag == CV_INT) *out = cv_int(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
    else if (a[0].tag == CV_FLOAT) *out = cv_float(fabs(a[0].u.f));
    else return conv_eager(x, "abs", a[0], out);
    return 0;
}

NATIVE(b_round) {
    NO_KW();
    if (n < 1 || n > 2) return x_error(x, "TypeError: round() takes 1 or 2 arguments");
    if (a[0].tag == CV_TENSOR) return conv_eager(x, "torch.round", a[0], out);
    if (!is_num(a[0])) return x_error(x, "TypeError: type doesn't define __round__");
    if (a[0].tag != CV_FLOAT) {
        *out = cv_int(num_i(a[0]));
        return 0;
    }
    double v = a[0].u.f;
    if (n == 1 || a[1].tag == CV_NONE) { /* half to even, an int */
        if (!isfinite(v)) return x_error(x, "ValueError: cannot convert float to integer");
        double r = nearbyint(v);
        if (!(r > -9223372036854775808.0 && r < 9223372036854775808.0))
            return x_error(x, "OverflowError: the integer does not fit in 64 bits (cts exec integers are int64)");
        *out = cv_int((int64_t)r);
        return 0;
    }
    if (a[1].tag != CV_INT) return x_error(x, "TypeError: round(): ndigits must be an int");
    if (!isfinite(v) || fabs(v) >= 1e17 || a[1].u.i > 30) { /* nothing to round at that precision */
        *out = cv_float(v);
        return 0;
    }
    char buf[400];
    int nd = (int)(a[1].u.i < 0 ? 0 : a[1].u.i);
    snprintf(buf, sizeof buf, "%.*f", nd, v); /* correctly rounded decimal, as Python's */
    *out = cv_float(strtod(buf, NULL));
    return 0;
}

NATIVE(b_sum) {
    NO_KW();
    if (n < 1) return x_error(x, "TypeError: sum() takes at least one argument");
    cv_value items;
    if (seq_of(x, a[0], &items)) return -1;
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    const cv_value *it = items.tag == CV_LIST ? items.u.l->items : items.u.tu->items;
    cv_value acc = n > 1 ? a[1] : cv_int(0);
    cv_retain(acc);
    for (size_t i = 0; i < len; i++) {
        cv_value r;
        if (binop(x, T_PLUS, acc, it[i], &r)) {
            cv_release(acc);
            cv_release(items);
            return -1;
        }
        cv_release(acc);
        acc = r;
    }
    cv_release(items);
    *out = acc;
    return 0;
}

static int anyall(xstate *x, cv_value v, bool any, cv_value *out) {
    cv_value items;
    if (seq_of(x, v, &items)) return -1;
    size_t len = items.tag == CV_LIST ? items.u.l->len : items.u.tu->len;
    bool r = !any;
    for (size_t i = 0; i < len; i++) {
        bool t;
        if (x_truth(x, items.tag == CV_LIST ? items.u.l->items[i] : items.u.tu->items[i], &t)) {
            cv_release(items);
            return -1;
        }
        if (any && t) r = true;
        if (!any && !t) r = false;
    }
    cv_release(items);
    *out = cv_bool(r);
    return 0;
}

NATIVE(b_any) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: any() takes one argument");
    return anyall(x, a[0], true, out);
}
NATIVE(b_all) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: all() takes one argument");
    return anyall(x, a[0], false, out);
}

NATIVE(b_getattr) {
    NO_KW();
    if (n < 2 || a[1].tag != CV_STR) return x_error(x, "TypeError: getattr(object, name[, default])");
    if (n == 3) {
        cts_err saved = *x->err;
        if (!x_getattr(x, a[0], a[1].u.s->data, out)) return 0;
        *x->err = saved;
        cv_retain(a[2]);
        *out = a[2];
        return 0;
    }
    return x_getattr(x, a[0], a[1].u.s->data, out);
}

NATIVE(b_hasattr) {
    NO_KW();
    if (n != 2 || a[1].tag != CV_STR) return x_error(x, "TypeError: hasattr(object, name)");
    cts_err saved = *x->err;
    cv_value v;
    if (!x_getattr(x, a[0], a[1].u.s->data, &v)) {
        cv_release(v);
        *out = cv_bool(true);
    } else {
        *x->err = saved;
        *out = cv_bool(false);
    }
    return 0;
}

NATIVE(b_setattr) {
    NO_KW();
    if (n != 3 || a[1].tag != CV_STR) return x_error(x, "TypeError: setattr(object, name, value)");
    *out = cv_none();
    return x_setattr(x, a[0], a[1].u.s->data, a[2]);
}

NATIVE(b_super) {
    NO_KW();
    if (n != 2 || !xo_is(a[0], XO_CLASS)) return x_error(x, "TypeError: super(Class, self) expected");
    if (xo_new(x, XO_SUPER, "super", out)) return -1;
    xo_of(*out)->klass = xo_of(a[0]);
    cv_retain(a[0]);
    cv_retain(a[1]);
    xo_of(*out)->self = a[1];
    return 0;
}

NATIVE(b_ignore) {
    (void)a;
    (void)n;
    (void)kwn;
    (void)kwv;
    (void)nkw;
    (void)x;
    *out = cv_none();
    return 0;
}

NATIVE(b_identity_decorator) {
    NO_KW();
    if (n != 1) return x_error(x, "decorator expects one argument");
    cv_retain(a[0]);
    *out = a[0];
    return 0;
}

static int add_native(xstate *x, xns *ns, const char *name, xnative_fn fn) {
    cv_value v;
    if (xo_native_new(x, name, fn, cv_none(), &v)) return -1;
    int rc = xns_set(ns, name, v, x->err);
    cv_release(v);
    return rc;
}

static int native_class(xstate *x, xns *ns, const char *name, cv_value base, cv_value *out) {
    cv_value c;
    if (xo_new(x, XO_CLASS, name, &c)) return -1;
    xo_of(c)->native_class = true;
    cv_retain(base);
    xo_of(c)->base = base;
    int rc = ns ? xns_set(ns, name, c, x->err) : 0;
    if (out) *out = c;
    else cv_release(c);
    return rc;
}

NATIVE(b_exc_init) {
    NO_KW();
    if (n < 1 || !xo_is(a[0], XO_INST)) return x_error(x, "Exception.__init__: bad receiver");
    cv_value *it = malloc((size_t)(n > 1 ? n : 1) * sizeof *it);
    if (!it) return cts_err_oom(x->err, "exception", 0);
    for (int i = 1; i < n; i++) cv_retain(it[i - 1] = a[i]);
    cv_value t;
    int rc = make_tuple(x, it, (size_t)(n - 1), &t);
    free(it);
    if (!rc) rc = xns_set(&xo_of(a[0])->ns, "args", t, x->err);
    cv_release(t);
    *out = cv_none();
    return rc;
}

/* exception classes: plain classes whose instances hold their arguments */
static int exceptions(xstate *x, xo *m) {
    static const char *const excs[] = {"ValueError", "TypeError", "RuntimeError", "KeyError", "IndexError",
                                       "NotImplementedError", "AssertionError", "AttributeError",
                                       "ZeroDivisionError", "StopIteration", "Warning", "UserWarning"};
    cv_value base;
    if (xo_new(x, XO_CLASS, "Exception", &base)) return -1;
    int rc = add_native(x, &xo_of(base)->ns, "__init__", b_exc_init) || xns_set(&m->ns, "Exception", base, x->err);
    for (size_t i = 0; i < sizeof excs / sizeof *excs && !rc; i++) {
        cv_value c;
        if ((rc = xo_new(x, XO_CLASS, excs[i], &c))) break;
        cv_retain(base);
        xo_of(c)->base = base;
        rc = xns_set(&m->ns, excs[i], c, x->err);
        cv_release(c);
    }
    cv_release(base);
    return rc ? -1 : 0;
}

static int builtins_module(xstate *x, xo *m) {
    static const struct { const char *n; xnative_fn f; } fns[] = {
        {"print", b_print},       {"len", b_len},         {"range", b_range},       {"list", b_list},
        {"tuple", b_tuple},       {"dict", b_dict},       {"enumerate", b_enumerate}, {"zip", b_zip},
        {"reversed", b_reversed}, {"iter", b_iter},       {"isinstance", b_isinstance}, {"int", b_int},
        {"float", b_float},       {"bool", b_bool},       {"str", b_str},           {"repr", b_repr},
        {"max", b_max},           {"min", b_min},         {"abs", b_abs},           {"sum", b_sum},
        {"any", b_any},           {"all", b_all},         {"getattr", b_getattr},   {"hasattr", b_hasattr},
        {"round", b_round},
        {"setattr", b_setattr},   {"super", b_super},
    };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (add_native(x, &m->ns, fns[i].n, fns[i].f)) return -1;
    return exceptions(x, m);
}

/* copy.deepcopy: modules (parameters cloned), containers copied, the rest shared */
static int deepcopy(xstate *x, cv_value v, int depth, cv_value *out) {
    if (depth > 100) return x_error(x, "deepcopy: structure too deep");
    if (v.tag == CV_TENSOR && v.u.t) {
        if (x_eager(x, "return a0.clone()", &v, 1, out)) return -1;
        out->u.t->requires_grad = v.u.t->requires_grad;
        if (x_is_parameter(x, v) && x_register_parameter(x, out->u.t)) {
            cv_release(*out);
            return -1;
        }
        return 0;
    }
    if (v.tag == CV_LIST || v.tag == CV_TUPLE) {
        size_t n = v.tag == CV_LIST ? v.u.l->len : v.u.tu->len;
        const cv_value *it = v.tag == CV_LIST ? v.u.l->items : v.u.tu->items;
        cv_value *c = calloc(n + 1, sizeof *c);
        if (!c) return cts_err_oom(x->err, "deepcopy", 0);
        int rc = 0;
        size_t k = 0;
        for (; k < n && !rc; k++) rc = deepcopy(x, it[k], depth + 1, &c[k]);
        if (rc) k--;
        if (!rc && v.tag == CV_TUPLE) {
            rc = make_tuple(x, c, n, out);
            free(c);
            return rc;
        }
        if (!rc) rc = x_list_new(x, n, out);
        for (size_t i = 0; i < k; i++) {
            if (!rc) rc = x_list_push(x, *out, c[i]);
            cv_release(c[i]);
        }
        free(c);
        return rc;
    }
    if (v.tag == CV_DICT) {
        if (cv_dict_new(v.u.d->key_type, v.u.d->val_type, out, x->err)) return -1;
        for (size_t i = 0; i < v.u.d->len; i++) {
            cv_value val;
            if (deepcopy(x, v.u.d->entries[i].val, depth + 1, &val)) return -1;
            cv_retain(v.u.d->entries[i].key);
            if (cv_dict_set(out->u.d, v.u.d->entries[i].key, val, x->err)) return -1;
        }
        return 0;
    }
    if (xo_is(v, XO_INST)) {
        xo *o = xo_of(v);
        if (xo_new(x, XO_INST, o->name, out)) return -1;
        xo *c = xo_of(*out);
        c->klass = o->klass;
        cv_retain(pyv(o->klass));
        c->training = o->training;
        const xns *src[4] = {&o->ns, &o->params, &o->buffers, &o->modules};
        xns *dst[4] = {&c->ns, &c->params, &c->buffers, &c->modules};
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < src[k]->n; i++) {
                cv_value e;
                if (deepcopy(x, src[k]->vals[i], depth + 1, &e)) return -1;
                int rc = xns_set(dst[k], src[k]->names[i], e, x->err);
                cv_release(e);
                if (rc) return -1;
            }
        return 0;
    }
    cv_retain(v);
    *out = v;
    return 0;
}

NATIVE(b_deepcopy) {
    NO_KW();
    if (n != 1) return x_error(x, "TypeError: deepcopy(x)");
    return deepcopy(x, a[0], 0, out);
}

/* torch */

static const struct { const char *name; int code; } DTYPES[] = {
    {"uint8", 0},   {"int8", 1},    {"int16", 2},   {"short", 2},    {"int32", 3},   {"int", 3},
    {"int64", 4},   {"long", 4},    {"float16", 5}, {"half", 5},     {"float32", 6}, {"float", 6},
    {"float64", 7}, {"double", 7},  {"complex64", 9}, {"cfloat", 9}, {"complex128", 10}, {"cdouble", 10},
    {"bool", 11},   {"bfloat16", 15},
};

NATIVE(t_manual_seed) {
    NO_KW();
    if (n != 1 || a[0].tag != CV_INT) return x_error(x, "TypeError: manual_seed expects an int");
    cts_generator_manual_seed(x->gen, (uint64_t)a[0].u.i);
    *out = cv_none();
    return 0;
}

NATIVE(t_is_tensor) {
    NO_KW();
    *out = cv_bool(n == 1 && a[0].tag == CV_TENSOR);
    return 0;
}

static cv_value torch_getattr(xstate *x, xo *m, const char *name) {
    for (size_t i = 0; i < sizeof DTYPES / sizeof *DTYPES; i++)
        if (!strcmp(DTYPES[i].name, name)) return cv_int(DTYPES[i].code);
    if (!strcmp(name, "nn") || !strcmp(name, "jit")) {
        cv_value r;
        char full[64];
        snprintf(full, sizeof full, "torch.%s", name);
        if (x_import(x, full, &r)) return cv_none();
        return r;
    }
    return path_getattr(x, m, name);
}

static int native_module(xstate *x, const char *name, cv_value *out) {
    if (!strcmp(name, "builtins")) {
        if (new_module(x, name, out) || builtins_module(x, xo_of(*out))) return -1;
        return 1;
    }
    if (!strcmp(name, "torch")) {
        if (new_module(x, name, out)) return -1;
        xo *m = xo_of(*out);
        m->native_getattr = torch_getattr;
        cv_value v;
        if (cv_str_from("1.13.0+cts", &v, x->err)) return -1;
        int rc = xns_set(&m->ns, "__version__", v, x->err);
        cv_release(v);
        if (rc || add_native(x, &m->ns, "manual_seed", t_manual_seed) || add_native(x, &m->ns, "is_tensor", t_is_tensor))
            return -1;
        if (xns_set(&m->ns, "Tensor", x->tensor_class, x->err)) return -1;
        cv_value ng;
        if (native_class(x, &m->ns, "no_grad", cv_none(), &ng)) return -1;
        xo_of(ng)->native_class = false;
        cv_release(ng);
        return 1;
    }
    if (!strcmp(name, "torch.jit")) {
        *out = x_jit_module(x);
        return out->tag == CV_NONE ? -1 : 1;
    }
    if (!strcmp(name, "torch.nn.modules.module") || !strcmp(name, "torch.nn.parameter")) {
        *out = x_nn_native_module(x, name);
        return out->tag == CV_NONE ? -1 : 1;
    }
    if (!strcmp(name, "torch.nn.functional") || !strcmp(name, "math")) {
        if (new_module(x, name, out)) return -1;
        xo_of(*out)->native_getattr = path_getattr;
        if (!strcmp(name, "math")) {
            static const struct { const char *n; double v; } k[] = {
                {"pi", M_PI}, {"e", M_E}, {"tau", 2 * M_PI}, {"inf", INFINITY}, {"nan", NAN}};
            for (size_t i = 0; i < sizeof k / sizeof *k; i++)
                if (xns_set(&xo_of(*out)->ns, k[i].n, cv_float(k[i].v), x->err)) return -1;
        }
        return 1;
    }
    if (!strcmp(name, "typing") || !strcmp(name, "collections") || !strcmp(name, "warnings") || !strcmp(name, "copy") ||
        !strcmp(name, "torch.nn.modules") || !strcmp(name, "__future__")) {
        if (new_module(x, name, out)) return -1;
        xo *m = xo_of(*out);
        if (!strcmp(name, "typing")) {
            static const char *const names[] = {"Optional", "List", "Tuple", "Dict", "Any", "Union", "Callable",
                                                "Final", "NamedTuple"};
            for (size_t i = 0; i < sizeof names / sizeof *names; i++)
                if (native_class(x, &m->ns, names[i], cv_none(), NULL)) return -1;
        } else if (!strcmp(name, "collections")) {
            if (add_native(x, &m->ns, "OrderedDict", b_dict)) return -1;
        } else if (!strcmp(name, "copy")) {
            if (add_native(x, &m->ns, "deepcopy", b_deepcopy)) return -1;
        } else if (!strcmp(name, "warnings")) {
            if (add_native(x, &m->ns, "warn", b_ignore)) return -1;
        } else if (!strcmp(name, "__future__")) {
            if (xns_set(&m->ns, "annotations", cv_none(), x->err)) return -1;
        }
        return 1;
    }
    return 0;
}

/* used by torch.jit's decorators that keep their function */
int x_add_identity_decorator(xstate *x, xns *ns, const char *name);
int x_add_identity_decorator(xstate *x, xns *ns, const char *name) { return add_native(x, ns, name, b_identity_decorator); }

/* At the end of a run, everything reachable from the modules is emptied
 * before it is released: that breaks the reference cycles a program builds
 * (a function and its module, a list holding itself, a module holding its
 * parent), which counting alone never frees. */
static void steal_ns(xns *ns, int depth);

static void teardown_clear(cv_value v, int depth) {
    if (depth > 10000) return; /* deeper structures are left to the counts */
    if (v.tag == CV_LIST) {
        cv_list *l = v.u.l;
        size_t n = l->len;
        cv_value *it = l->items;
        l->items = NULL;
        l->len = l->cap = 0;
        for (size_t i = 0; i < n; i++) teardown_clear(it[i], depth + 1);
        for (size_t i = 0; i < n; i++) cv_release(it[i]);
        free(it);
    } else if (v.tag == CV_DICT) {
        cv_dict *d = v.u.d;
        size_t n = d->len;
        cv_dict_entry *e = d->entries;
        free(d->index);
        d->entries = NULL;
        d->index = NULL;
        d->len = d->cap = d->index_cap = 0;
        for (size_t i = 0; i < n; i++) {
            teardown_clear(e[i].val, depth + 1);
            cv_release(e[i].key);
            cv_release(e[i].val);
        }
        free(e);
    } else if (v.tag == CV_TUPLE) {
        for (size_t i = 0; i < v.u.tu->len; i++) teardown_clear(v.u.tu->items[i], depth + 1);
    } else if (v.tag == CV_PY) {
        xo *o = xo_of(v);
        steal_ns(&o->ns, depth);
        steal_ns(&o->params, depth);
        steal_ns(&o->buffers, depth);
        steal_ns(&o->modules, depth);
        if (o->closure) steal_ns(o->closure, depth);
        cv_value held[3] = {o->self, o->fn, o->scripted};
        o->self = o->fn = o->scripted = cv_none();
        for (int i = 0; i < 3; i++) {
            teardown_clear(held[i], depth + 1);
            cv_release(held[i]);
        }
    }
}

static void steal_ns(xns *ns, int depth) {
    xns taken = *ns;
    xns_init(ns);
    for (int i = 0; i < taken.n; i++) teardown_clear(taken.vals[i], depth + 1);
    xns_free(&taken);
}

/* ---- the program ---- */

int cts_exec_run(const char *path, const char *text, size_t len, FILE *out, int nthreads, cts_err *err) {
    xstate x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.out = out;
    x.file = path;
    cts_arena_init(&x.arena);
    xns_init(&x.modules);
    cts_map_init(&x.eager_cache);
    cts_map_init(&x.type_cache);
    x.module_class = x.tensor_class = cv_none();
    int rc = -1;
    x.size_type = cts_type_namedtuple("torch.Size", 0, NULL, NULL);
    x.cu = cts_cu_new(NULL, NULL);
    x.ecu = cts_cu_new(NULL, NULL);
    x.gen = cts_generator_new(67280421310721ULL);
    if (!x.cu || !x.ecu || !x.gen || !x.size_type) {
        cts_err_oom(err, "exec", 0);
        goto done;
    }
    x.cu->python_frontend = 1;
    x.cu->default_qualifier = "__torch__";
    x.cu->resolve_global = x_resolve_global;
    x.cu->resolve_ctx = &x;
    x.ecu->python_frontend = 1;
    cts_generator_set_current(x.gen);
    if (nthreads > 1 && !(x.pool = cts_pool_new(nthreads, err))) goto done;
    if (native_class(&x, NULL, "Tensor", cv_none(), &x.tensor_class) || x_nn_init(&x)) goto done;
    cv_value mainv;
    if (new_module(&x, "__main__", &mainv)) goto done;
    if (xns_set(&x.modules, "__main__", mainv, err)) {
        cv_release(mainv);
        goto done;
    }
    char *copy = cts_arena_alloc(&x.arena, len + 1);
    if (!copy) {
        cv_release(mainv);
        cts_err_oom(err, "source", len);
        goto done;
    }
    memcpy(copy, text, len);
    copy[len] = 0;
    rc = x_run_module_source(&x, xo_of(mainv), path, copy, len);
    cv_release(mainv);
done:
    fflush(out);
    cts_generator_set_current(NULL);
    /* modules hold the program's objects; release them before the units */
    for (int i = 0; i < x.modules.n; i++) teardown_clear(x.modules.vals[i], 0);
    xns_free(&x.modules);
    cv_release(x.module_class);
    cv_release(x.tensor_class);
    x_jit_free(&x);
    for (size_t i = 0; i < x.eager_cache.cap; i++) free((void *)x.eager_cache.slots[i].key);
    cts_map_free(&x.eager_cache);
    for (size_t i = 0; i < x.type_cache.cap; i++) free((void *)x.type_cache.slots[i].key);
    cts_map_free(&x.type_cache);
    cts_cu_free(x.cu);
    cts_cu_free(x.ecu);
    cts_generator_free(x.gen);
    cts_type_release(x.size_type);
    for (int i = 0; i < x.nparams; i++) ct_tensor_release(x.params[i]);
    free(x.params);
    cts_pool_free(x.pool);
    cts_arena_free(&x.arena);
    return rc;
}
