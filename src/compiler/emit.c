/* emit.c - TorchScript AST to IR: statements, expressions, environments.
 *
 * This replays PyTorch's ir_emitter (torch/csrc/jit/frontend/ir_emitter.cpp)
 * step by step: variables are first-class through prim::Store / prim::Load
 * nodes keyed by name, control flow is emitted with the loads and stores
 * in place, and passes/ssa.c then converts to SSA exactly as PyTorch's
 * ConvertToSSA does.  Doing the same steps in the same order is what makes
 * the value names (%x.1, %rv0.9) and node order of cts's graphs equal to
 * PyTorch's. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../passes/passes.h"
#include "emit_internal.h"
#include "../ops/schema_list.h"

/* ---- errors and helpers ---- */

_Noreturn void em_fail(emitter *e) { longjmp(e->fail, 1); }

_Noreturn void em_error(emitter *e, uint32_t start, uint32_t end, const char *fmt, ...) {
    char msg[CTS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cts_src_error(e->err, e->src, start, end, "%s", msg);
    em_fail(e);
}

_Noreturn void em_error_at(emitter *e, const ast *n, const char *fmt, ...) {
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cts_src_error(e->err, e->src, n ? n->start : 0, n ? n->end : 0, "%s", msg);
    em_fail(e);
}

void *em_alloc(emitter *e, size_t n) {
    void *p = cts_arena_alloc(e->arena, n);
    if (!p) {
        cts_err_oom(e->err, "compiler", n);
        em_fail(e);
    }
    return p;
}

const char *em_strdup(emitter *e, const char *s) {
    char *p = cts_arena_strdup(e->arena, s);
    if (!p) {
        cts_err_oom(e->err, "compiler", strlen(s));
        em_fail(e);
    }
    return p;
}

const char *em_type_str(emitter *e, const cts_type *t) {
    cts_strbuf sb;
    cts_sb_init(&sb);
    cts_type_str_annot(t, &sb);
    const char *r = em_strdup(e, cts_sb_str(&sb));
    cts_sb_free(&sb);
    return r;
}

cts_type *em_hold(emitter *e, cts_type *t) {
    if (!t) {
        cts_err_oom(e->err, "type", 0);
        em_fail(e);
    }
    if (cts_cu_hold_type(e->cu, t)) {
        cts_type_release(t);
        cts_err_oom(e->err, "type", 0);
        em_fail(e);
    }
    cts_type_release(t); /* the unit keeps it */
    return t;
}

sv *sv_new(emitter *e, sv_kind k) {
    sv *s = em_alloc(e, sizeof *s);
    s->kind = k;
    return s;
}

sv *sv_simple(emitter *e, ir_value *v) {
    sv *s = sv_new(e, SV_SIMPLE);
    s->value = v;
    return s;
}

ir_node *em_insert(emitter *e, const char *kind, int nout, uint32_t start, uint32_t end) {
    ir_node *n = ir_create(e->g, kind, nout);
    n->src = e->src;
    n->src_start = start;
    n->src_end = end;
    return ir_insert(e->g, n);
}

ir_value *em_const(emitter *e, cv_value v, uint32_t start, uint32_t end) {
    return ir_insert_constant(e->g, v, e->src, start, end);
}

/* materializeConstant: one node per distinct value, at the start of the graph */
static ir_value *materialize(emitter *e, cts_map *memo, const char *key, cv_value v, uint32_t start, uint32_t end) {
    ir_value *hit = cts_map_get(memo, key);
    if (hit) return hit;
    ir_node *saved = e->g->insert_before;
    e->g->insert_before = ir_block_first(e->g->block);
    ir_value *c = em_const(e, v, start, end);
    e->g->insert_before = saved;
    if (cts_map_put(memo, em_strdup(e, key), c)) {
        cts_err_oom(e->err, "compiler", 0);
        em_fail(e);
    }
    return c;
}

ir_value *em_int_const(emitter *e, int64_t v, uint32_t start, uint32_t end) {
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)v);
    return materialize(e, &e->int_consts, key, cv_int(v), start, end);
}

ir_value *em_float_const(emitter *e, double v, uint32_t start, uint32_t end) {
    char key[64];
    uint64_t bits;
    memcpy(&bits, &v, 8);
    if (v == 0) bits = 0; /* std::unordered_map<double>: 0.0 == -0.0 */
    snprintf(key, sizeof key, "%llx", (unsigned long long)bits);
    return materialize(e, &e->float_consts, key, cv_float(v), start, end);
}

ir_value *nval_value(emitter *e, nval *nv) {
    if (!nv->value) nv->value = em_const(e, nv->cval, nv->start, nv->end);
    return nv->value;
}

static bool meaningful_name(const char *name) {
    if (!name || !*name) return false;
    if (name[0] == '$') return false;
    if (name[0] != '_') return true;
    for (const char *p = name + 1; *p; p++)
        if (*p < '0' || *p > '9') return true;
    return false;
}

static void block_key(char *buf, size_t n, const ir_block *b) { snprintf(buf, n, "%p", (const void *)b); }

static bool is_exit_block(emitter *e, const ir_block *b) {
    char k[32];
    block_key(k, sizeof k, b);
    return cts_map_get(&e->exit_blocks, k) != NULL;
}

static void mark_exit_block(emitter *e, const ir_block *b) {
    char k[32];
    block_key(k, sizeof k, b);
    if (cts_map_put(&e->exit_blocks, em_strdup(e, k), (void *)1)) {
        cts_err_oom(e->err, "compiler", 0);
        em_fail(e);
    }
}

/* ---- environments ---- */

static void push_frame(emitter *e, ir_block *b) {
    env *f = em_alloc(e, sizeof *f);
    f->b = b;
    f->next = e->env;
    f->all_next = e->all_frames;
    e->all_frames = f;
    e->env = f;
}

static void free_frames(emitter *e) {
    for (env *f = e->all_frames; f; f = f->all_next) {
        cts_map_free(&f->values);
        cts_map_free(&f->types);
        cts_map_free(&f->errors);
    }
    e->all_frames = NULL;
}

static env *pop_frame(emitter *e) {
    env *f = e->env;
    e->env = f->next;
    return f; /* maps are freed with the emitter (see free_frames) */
}

static void map_put(emitter *e, cts_map *m, const char *k, void *v) {
    if (cts_map_put(m, em_strdup(e, k), v)) {
        cts_err_oom(e->err, "compiler", 0);
        em_fail(e);
    }
}

static sv *insert_load(emitter *e, const char *name, cts_type *type) {
    ir_node *n = ir_create(e->g, "prim::Load", 1);
    n->attr_name = ir_intern(e->g, name);
    ir_set_type(n->outputs[0], type);
    ir_insert(e->g, n);
    if (meaningful_name(name)) ir_set_name(n->outputs[0], name);
    return sv_simple(e, n->outputs[0]);
}

static void insert_store(emitter *e, env *f, const char *name, ir_value *v, cts_type *type, uint32_t start,
                         uint32_t end) {
    ir_node *n = em_insert(e, "prim::Store", 0, start, end);
    n->attr_name = ir_intern(e->g, name);
    ir_add_input(n, v);
    map_put(e, &f->types, name, type);
}

static sv *find_in_this_frame(emitter *e, env *f, const char *name) {
    sv *s = cts_map_get(&f->values, name);
    if (s) return s;
    cts_type *t = cts_map_get(&f->types, name);
    if (t) return insert_load(e, name, t);
    return NULL;
}

static sv *find_in_any_frame(emitter *e, env *f, const char *name) {
    for (; f; f = f->next) {
        sv *s = find_in_this_frame(e, f, name);
        if (s) return s;
    }
    return NULL;
}

static env *root_frame(emitter *e) {
    env *f = e->env;
    while (f->next) f = f->next;
    return f;
}

/* the saved error carries the place it was found (the if), as PyTorch's
 * ErrorReport does; a later use adds its own place after it */
static void set_var_type_error(emitter *e, const char *name, const char *msg, uint32_t start, uint32_t end) {
    cts_err at = {0};
    cts_src_error(&at, e->src, start, end, "%s", msg);
    map_put(e, &root_frame(e)->errors, name, (void *)em_strdup(e, at.msg));
}

static void set_sugared_var(emitter *e, const char *name, sv *value, cts_type *annotated, uint32_t start,
                            uint32_t end) {
    env *f = e->env;
    ir_value *simple = value->kind == SV_SIMPLE ? value->value : NULL;
    if (simple && !simple->name && meaningful_name(name) && simple->node->owner == f->b) ir_set_name(simple, name);
    sv *parent = f->next ? find_in_any_frame(e, f->next, name) : NULL;
    if (parent) {
        if (annotated)
            em_error(e, start, end,
                     "Attempting to declare and annotate the type of variable '%s' but it is already defined in an "
                     "outer block",
                     name);
        if (!simple)
            em_error(e, start, end,
                     "Cannot re-assign '%s' to a value of this kind because %s is not a first-class value.  Only "
                     "reassignments to first-class values are allowed",
                     name, name);
        if (parent->kind != SV_SIMPLE)
            em_error(e, start, end,
                     "Cannot re-assign '%s' because %s is not a first-class value.  Only reassignments to "
                     "first-class values are allowed",
                     name, name);
        cts_type *ptype = parent->value->type;
        simple = em_convert(e, ptype, simple, true, start, end);
        if (!cts_type_subtype(simple->type, ptype)) {
            em_error(e, start, end, "Variable '%s' previously has type %s but is now being assigned to a value of type %s",
                     name, em_type_str(e, ptype), em_type_str(e, simple->type));
        }
    }
    if (simple) {
        if (annotated && !cts_type_subtype(simple->type, annotated))
            em_error(e, start, end, "Variable '%s' is annotated with type %s but is being assigned to a value of type %s",
                     name, em_type_str(e, annotated), em_type_str(e, simple->type));
        insert_store(e, f, name, simple, annotated ? annotated : simple->type, start, end);
    } else {
        map_put(e, &f->values, name, value);
    }
}

static void set_var(emitter *e, const char *name, ir_value *v, uint32_t start, uint32_t end) {
    set_sugared_var(e, name, sv_simple(e, v), NULL, start, end);
}

static sv *get_sugared_var(emitter *e, const char *name, uint32_t start, uint32_t end, bool required) {
    sv *s = find_in_any_frame(e, e->env, name);
    if (!s) s = em_resolve_global(e, name, start, end);
    if (!s && required) {
        const char *msg = cts_map_get(&root_frame(e)->errors, name);
        if (msg) em_error(e, start, end, "%s\nand was used here", msg);
        em_error(e, start, end, "undefined value %s", name);
    }
    return s;
}

static ir_value *get_var(emitter *e, const char *name, uint32_t start, uint32_t end) {
    return sv_as_value(e, get_sugared_var(e, name, start, end, true), start, end);
}

/* names defined (first-class) in a frame, sorted (std::set order) */
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static const char **defined_vars(emitter *e, env *f, int *n) {
    const char **out = em_alloc(e, (f->types.len + 1) * sizeof *out);
    int k = 0;
    for (size_t i = 0; i < f->types.cap; i++)
        if (f->types.slots[i].key) out[k++] = f->types.slots[i].key;
    qsort(out, (size_t)k, sizeof *out, cmp_str);
    *n = k;
    return out;
}

/* ---- types ---- */

cts_type *em_parse_type(emitter *e, const ast *n) {
    cts_type *t = cts_cu_parse_type_expr(e->cu, n, e->src, e->err);
    if (!t) em_fail(e);
    return em_hold(e, t);
}

cts_type *em_unify(emitter *e, cts_type *a, cts_type *b) {
    cts_type *u = cts_type_unify(a, b, false);
    return u ? em_hold(e, u) : NULL;
}

/* ---- statements ---- */

static void emit_statements(emitter *e, ast **stmts, int n);
static sv *emit_apply(emitter *e, const ast *n, int n_binders, cts_type *hint);
static ir_value *emit_int_and_slice_indexing(emitter *e, const ast *n, ir_value *t, ir_value ***tidx_out,
                                             int *ntidx_out);

typedef struct refinement {
    const char *name;
    cts_type *type;
} refinement;

typedef struct refset {
    refinement t[8], f[8];
    int nt, nf;
} refset;

typedef struct cond_value {
    ir_value *value;
    refset refs;
    int static_if; /* -1 unknown, 0 false, 1 true */
} cond_value;

static refset refs_not(refset r) {
    refset o;
    memcpy(o.t, r.f, sizeof o.t);
    memcpy(o.f, r.t, sizeof o.f);
    o.nt = r.nf;
    o.nf = r.nt;
    return o;
}

static int find_ref(const refinement *rs, int n, const char *name) {
    for (int i = 0; i < n; i++)
        if (strcmp(rs[i].name, name) == 0) return i;
    return -1;
}

static void ref_union(const refinement *a, int na, const refinement *b, int nb, refinement *out, int *nout) {
    int n = 0;
    for (int i = 0; i < na; i++) out[n++] = a[i];
    for (int i = 0; i < nb; i++) {
        int j = find_ref(out, n, b[i].name);
        if (j < 0) {
            if (n < 8) out[n++] = b[i];
        } else if (!cts_type_equal(out[j].type, b[i].type)) {
            memmove(&out[j], &out[j + 1], (size_t)(n - j - 1) * sizeof *out);
            n--;
        }
    }
    *nout = n;
}

static void ref_intersect(const refinement *a, int na, const refinement *b, int nb, refinement *out, int *nout) {
    int n = 0;
    for (int i = 0; i < na; i++) {
        int j = find_ref(b, nb, a[i].name);
        if (j >= 0 && a[i].type == b[j].type) out[n++] = a[i];
    }
    *nout = n;
}

static refset refs_and(refset a, refset b) {
    refset o;
    ref_union(a.t, a.nt, b.t, b.nt, o.t, &o.nt);
    ref_intersect(a.f, a.nf, b.f, b.nf, o.f, &o.nf);
    return o;
}

static refset refs_or(refset a, refset b) {
    refset o;
    ref_intersect(a.t, a.nt, b.t, b.nt, o.t, &o.nt);
    ref_union(a.f, a.nf, b.f, b.nf, o.f, &o.nf);
    return o;
}

static void insert_refinements(emitter *e, const refset *r, uint32_t start, uint32_t end) {
    for (int i = 0; i < r->nt; i++) {
        ir_value *v = get_var(e, r->t[i].name, start, end);
        ir_value *nv = em_unchecked_cast(e, v, r->t[i].type);
        set_var(e, r->t[i].name, nv, start, end);
    }
}

static env *emit_single_if_branch(emitter *e, ir_block *b, ast **stmts, int n, const refset *refs, uint32_t start,
                                  uint32_t end) {
    push_frame(e, b);
    ir_node *saved = e->g->insert_before;
    ir_set_insert_end(e->g, b);
    insert_refinements(e, refs, start, end);
    emit_statements(e, stmts, n);
    e->g->insert_before = saved;
    return pop_frame(e);
}

static void emit_if_else_blocks(emitter *e, uint32_t start, uint32_t end, cond_value *c, ast **tb, int ntb,
                                ast **fb, int nfb) {
    if (c->static_if >= 0) {
        if (c->static_if) {
            insert_refinements(e, &c->refs, start, end);
            emit_statements(e, tb, ntb);
        } else {
            refset nr = refs_not(c->refs);
            insert_refinements(e, &nr, start, end);
            emit_statements(e, fb, nfb);
        }
        return;
    }
    ir_node *n = em_insert(e, "prim::If", 0, start, end);
    ir_add_input(n, c->value);
    ir_block *true_block = ir_add_block(n);
    ir_block *false_block = ir_add_block(n);
    env *save_true = emit_single_if_branch(e, true_block, tb, ntb, &c->refs, start, end);
    refset nr = refs_not(c->refs);
    env *save_false = emit_single_if_branch(e, false_block, fb, nfb, &nr, start, end);
    bool true_exits = is_exit_block(e, true_block), false_exits = is_exit_block(e, false_block);
    if (true_exits && false_exits) mark_exit_block(e, n->owner);

    /* mutated variables, in sorted order */
    int ntv, nfv;
    const char **tv = defined_vars(e, save_true, &ntv);
    const char **fv = defined_vars(e, save_false, &nfv);
    const char **mut = em_alloc(e, (size_t)(ntv + nfv + 1) * sizeof *mut);
    int nm = 0;
    ir_node *saved = e->g->insert_before;
    for (int i = 0; i < ntv; i++) {
        ir_set_insert_end(e->g, false_block);
        if (find_in_any_frame(e, save_false, tv[i]) || false_exits) {
            mut[nm++] = tv[i];
        } else {
            char msg[300];
            snprintf(msg, sizeof msg, "%s is not defined in the false branch", tv[i]);
            set_var_type_error(e, tv[i], msg, start, end);
        }
    }
    for (int i = 0; i < nfv; i++) {
        ir_set_insert_end(e->g, true_block);
        if (find_in_any_frame(e, save_true, fv[i]) || true_exits) {
            bool dup = false;
            for (int j = 0; j < nm; j++)
                if (strcmp(mut[j], fv[i]) == 0) dup = true;
            if (!dup) mut[nm++] = fv[i];
        } else {
            char msg[300];
            snprintf(msg, sizeof msg, "%s is not defined in the true branch", fv[i]);
            set_var_type_error(e, fv[i], msg, start, end);
        }
    }
    e->g->insert_before = saved;
    qsort(mut, (size_t)nm, sizeof *mut, cmp_str);
    for (int i = 0; i < nm; i++) {
        const char *x = mut[i];
        ir_value *tval = NULL, *fval = NULL;
        saved = e->g->insert_before;
        ir_set_insert_end(e->g, true_block);
        if (!true_exits) tval = sv_as_value(e, find_in_any_frame(e, save_true, x), start, end);
        ir_set_insert_end(e->g, false_block);
        if (!false_exits) fval = sv_as_value(e, find_in_any_frame(e, save_false, x), start, end);
        e->g->insert_before = saved;
        if (true_exits && false_exits) continue;
        if (true_exits) {
            ir_node *u = ir_create(e->g, "prim::Uninitialized", 1);
            ir_set_type(u->outputs[0], fval->type);
            ir_insert_before(u, true_block->ret);
            tval = u->outputs[0];
            ir_node *st = ir_create(e->g, "prim::Store", 0);
            st->attr_name = ir_intern(e->g, x);
            ir_add_input(st, tval);
            ir_insert_before(st, true_block->ret);
        } else if (false_exits) {
            ir_node *u = ir_create(e->g, "prim::Uninitialized", 1);
            ir_set_type(u->outputs[0], tval->type);
            ir_insert_before(u, false_block->ret);
            fval = u->outputs[0];
            ir_node *st = ir_create(e->g, "prim::Store", 0);
            st->attr_name = ir_intern(e->g, x);
            ir_add_input(st, fval);
            ir_insert_before(st, false_block->ret);
        }
        /* PyTorch looks the variable up in the enclosing scopes here (for a
         * Union/Optional annotation); the lookup inserts a load, which names a
         * value -- kept for identical value names */
        sv *outer = find_in_any_frame(e, e->env, x);
        /* a variable already in scope as a Union, Optional or Number may take
         * a different type in each branch: they unify to a Union */
        cts_type *full = outer && outer->kind == SV_SIMPLE && outer->value ? outer->value->type : NULL;
        bool to_union = full && (full->kind == TY_UNION || full->kind == TY_OPTIONAL || full->kind == TY_NUMBER);
        cts_type *unified = cts_type_unify(tval->type, fval->type, to_union);
        if (unified) unified = em_hold(e, unified);
        if (!unified) {
            char msg[500];
            snprintf(msg, sizeof msg, "Type mismatch: %s is set to type %s in the true branch and type %s in the false branch",
                     x, em_type_str(e, tval->type), em_type_str(e, fval->type));
            bool in_parent = (save_true->next && cts_map_get(&save_true->next->types, x)) ||
                             (save_true->next && find_in_any_frame(e, save_true->next, x));
            if (in_parent) em_error(e, start, end, "%s", msg);
            set_var_type_error(e, x, msg, start, end);
            continue;
        }
        map_put(e, &e->env->types, x, unified);
    }
}

static cond_value emit_cond_expr(emitter *e, const ast *n);

static ir_value *emit_to_bool(emitter *e, ir_value *v, uint32_t start, uint32_t end) {
    if (v->type->kind == TY_BOOL) {
        /* bool(x) on a bool: aten::Bool has no bool overload, PyTorch's CastValue returns it unchanged */
        return v;
    }
    nval a = {0};
    a.value = v;
    a.start = start;
    a.end = end;
    ir_value *out = NULL;
    if (v->type->kind == TY_CLASS) {
        ir_function *m = cts_cu_get_method(e->cu, v->type, "__bool__", e->err);
        if (!m) em_error(e, start, end, "Could not cast value of type %s to bool", em_type_str(e, v->type));
        sv *ms = sv_new(e, SV_METHOD);
        ms->value = v;
        ms->name = "__bool__";
        out = sv_as_value(e, sv_call(e, ms, NULL, 0, NULL, 0, 1, start, end), start, end);
    } else if (v->type->kind == TY_LIST || v->type->kind == TY_STR || v->type->kind == TY_DICT) {
        /* the `bool` builtin (CastValue): len(x) > 0 */
        sv *b = em_resolve_global(e, "bool", start, end);
        out = sv_as_value(e, sv_call(e, b, &a, 1, NULL, 0, 1, start, end), start, end);
    } else {
        out = em_builtin_call(e, "aten::Bool", &a, 1, NULL, 0, NULL, start, end);
    }
    if (out->type->kind != TY_BOOL)
        em_error(e, start, end, "expected a bool expression for condition but found %s", em_type_str(e, out->type));
    return out;
}

static ir_value *emit_if_expr(emitter *e, uint32_t start, uint32_t end, cond_value *c, const ast *tx, const ast *fx,
                              cts_type *hint, int mode /* 0 exprs, 1 and, 2 or */, const ast *second,
                              cond_value *rhs_out) {
    ir_node *n = em_insert(e, "prim::If", 0, start, end);
    ir_add_input(n, c->value);
    ir_block *tb = ir_add_block(n);
    ir_block *fb = ir_add_block(n);
    ir_value *outs[2];
    for (int i = 0; i < 2; i++) {
        ir_block *b = i ? fb : tb;
        push_frame(e, b);
        ir_node *saved = e->g->insert_before;
        ir_set_insert_end(e->g, b);
        refset r = i ? refs_not(c->refs) : c->refs;
        insert_refinements(e, &r, start, end);
        ir_value *out;
        if (mode == 0) {
            out = em_expr(e, i ? fx : tx, hint);
        } else {
            /* and: true -> rhs, false -> const False; or: true -> const True, false -> rhs */
            bool is_rhs = (mode == 1) ? (i == 0) : (i == 1);
            if (is_rhs) {
                *rhs_out = emit_cond_expr(e, second);
                out = rhs_out->value;
            } else {
                out = em_const(e, cv_bool(mode == 2), start, end);
            }
        }
        ir_block_register_output(b, out);
        outs[i] = out;
        e->g->insert_before = saved;
        pop_frame(e);
    }
    cts_type *u = em_unify(e, outs[0]->type, outs[1]->type);
    if (!u)
        em_error(e, start, end, "if-expression's true branch has type %s but false branch has type %s",
                 em_type_str(e, outs[0]->type), em_type_str(e, outs[1]->type));
    ir_value *r = ir_add_output(n);
    ir_set_type(r, u);
    return r;
}

static bool must_be_none(const ir_value *v) {
    if (v->type->kind == TY_NONE) return true;
    const ir_node *n = v->node;
    return n->k == K_CONSTANT && !n->has_value && !n->fn && v->type->kind == TY_OPTIONAL;
}

static cond_value cond_static(emitter *e, bool v, refset r, uint32_t start, uint32_t end) {
    cond_value c;
    c.value = em_const(e, cv_bool(v), start, end);
    c.refs = r;
    c.static_if = v;
    return c;
}

static cond_value emit_isinstance(emitter *e, const ast *obj, const ast *classinfo);

/* canBeNone: an Optional, or a Union with a NoneType member */
static bool can_hold_none(const cts_type *t) {
    if (t->kind == TY_OPTIONAL) return true;
    if (t->kind != TY_UNION) return false;
    for (int i = 0; i < t->n; i++)
        if (t->elems[i]->kind == TY_NONE) return true;
    return false;
}

/* findIsNoneRefinements: what `x is not None` leaves of x's type -- an
 * Optional's element, a Union less NoneType (subtractTypeSet); NULL when
 * nothing refines */
static cts_type *without_none(emitter *e, cts_type *t) {
    if (t->kind == TY_OPTIONAL) return t->elems[0];
    if (t->kind != TY_UNION) return NULL;
    cts_type *rest[64];
    int n = 0;
    for (int i = 0; i < t->n && n < 64; i++)
        if (t->elems[i]->kind != TY_NONE) rest[n++] = t->elems[i];
    if (n == 0 || n == t->n) return NULL;
    if (n == 1) return rest[0];
    return em_hold(e, cts_type_union(n, rest));
}

static cond_value emit_cond_expr(emitter *e, const ast *n) {
    cond_value c;
    memset(&c, 0, sizeof c);
    c.static_if = -1;
    if (n->kind == A_BOOLOP) {
        bool is_or = n->op == T_OR;
        cond_value lhs = emit_cond_expr(e, n->a);
        cond_value rhs;
        memset(&rhs, 0, sizeof rhs);
        rhs.static_if = -1;
        ir_value *r = emit_if_expr(e, n->start, n->end, &lhs, NULL, NULL, NULL, is_or ? 2 : 1, n->b, &rhs);
        c.value = r;
        if (is_or) {
            c.refs = refs_or(lhs.refs, rhs.refs);
            if (lhs.static_if == 1 || rhs.static_if == 1) c.static_if = 1;
            else if (lhs.static_if >= 0 && rhs.static_if >= 0) c.static_if = lhs.static_if || rhs.static_if;
        } else {
            c.refs = refs_and(lhs.refs, rhs.refs);
            if (lhs.static_if == 0 || rhs.static_if == 0) c.static_if = 0;
            else if (lhs.static_if >= 0 && rhs.static_if >= 0) c.static_if = lhs.static_if && rhs.static_if;
        }
        return c;
    }
    if (n->kind == A_UNOP && n->op == T_NOT) {
        cond_value v = emit_cond_expr(e, n->a);
        nval a = {0};
        a.value = v.value;
        c.value = em_builtin_call(e, "aten::__not__", &a, 1, NULL, 0, NULL, n->start, n->end);
        c.refs = refs_not(v.refs);
        c.static_if = v.static_if >= 0 ? !v.static_if : -1;
        return c;
    }
    if (n->kind == A_CMP && n->nops == 1 && (n->ops[0] == T_IS || n->ops[0] == T_ISNOT)) {
        const ast *l = n->list[0], *r = n->list[1];
        ir_value *lv = em_expr(e, l, NULL), *rv = em_expr(e, r, NULL);
        int ln = must_be_none(lv) ? 0 : can_hold_none(lv->type) ? 1 : 2; /* ALWAYS, MAYBE, NEVER */
        int rn = must_be_none(rv) ? 0 : can_hold_none(rv->type) ? 1 : 2;
        bool is = n->ops[0] == T_IS;
        refset none = {0};
        if (ln == 0 && rn == 0) return cond_static(e, is, none, n->start, n->end);
        if ((ln == 0 && rn == 2) || (ln == 2 && rn == 0)) return cond_static(e, !is, none, n->start, n->end);
        nval a[2] = {{0}, {0}};
        a[0].value = lv;
        a[1].value = rv;
        c.value = em_builtin_call(e, is ? "aten::__is__" : "aten::__isnot__", a, 2, NULL, 0, NULL, n->start, n->end);
        /* refinement: var is/is not None */
        const ast *var = l, *noneside = r;
        ir_value *varv = lv;
        if (r->kind != A_NONE && l->kind == A_NONE) {
            var = r;
            noneside = l;
            varv = rv;
        }
        cts_type *rest = NULL;
        if (noneside->kind == A_NONE && var->kind == A_NAME) rest = without_none(e, varv->type);
        if (rest) {
            refinement present = {var->str, rest};
            if (is) {
                c.refs.f[0] = present;
                c.refs.nf = 1;
            } else {
                c.refs.t[0] = present;
                c.refs.nt = 1;
            }
        }
        return c;
    }
    if (n->kind == A_CALL && n->a->kind == A_NAME) {
        if (strcmp(n->a->str, "isinstance") == 0 && !find_in_any_frame(e, e->env, "isinstance")) {
            if (n->nlist != 2 || n->nlist2)
                em_error_at(e, n, "isinstance expected exactly 2 arguments but found %d", n->nlist);
            return emit_isinstance(e, n->list[0], n->list[1]);
        }
    }
    ir_value *v = emit_to_bool(e, em_expr(e, n, NULL), n->start, n->end);
    c.value = v;
    if (v->node->k == K_CONSTANT && v->node->has_value && v->node->value.tag == CV_BOOL) c.static_if = v->node->value.u.b;
    if (v->node->k == K_OP && strcmp(v->node->kind, "aten::is_scripting") == 0) c.static_if = 1;
    if (v->node->k == K_OP && strcmp(v->node->kind, "aten::has_torch_function") == 0) c.static_if = 0;
    return c;
}

static void gather_types(emitter *e, const ast *ci, cts_type **types, int *n) {
    if (ci->kind == A_TUPLE) {
        for (int i = 0; i < ci->nlist; i++) gather_types(e, ci->list[i], types, n);
        return;
    }
    if (*n >= 16) em_error_at(e, ci, "too many types in isinstance");
    types[(*n)++] = em_parse_type(e, ci);
}

/* standardizeVectorForUnion: unions and optionals as their members */
static void flatten_union(cts_type *t, cts_type **out, int *n) {
    if (t->kind == TY_UNION) {
        for (int i = 0; i < t->n; i++) flatten_union(t->elems[i], out, n);
    } else if (t->kind == TY_OPTIONAL) {
        flatten_union(t->elems[0], out, n);
        flatten_union(T_NONE, out, n);
    } else {
        for (int i = 0; i < *n; i++)
            if (cts_type_equal(out[i], t)) return;
        if (*n < 32) out[(*n)++] = t;
    }
}

/* unifyTypeList with default_to_union */
static cts_type *unify_to_union(emitter *e, cts_type **ts, int n) {
    cts_type *u = ts[0];
    for (int i = 1; i < n && u; i++) u = em_unify(e, u, ts[i]);
    if (u) return u;
    return em_hold(e, cts_type_union(n, ts));
}

/* PyTorch 1.13's emitIsInstance: refinements for unions and optionals */
static cond_value emit_isinstance(emitter *e, const ast *obj, const ast *classinfo) {
    ir_value *v = em_expr(e, obj, NULL);
    cts_type *rhs0[16], *rhs[32], *lhs[32];
    int nr0 = 0, nr = 0, nl = 0;
    gather_types(e, classinfo, rhs0, &nr0);
    for (int i = 0; i < nr0; i++) flatten_union(rhs0[i], rhs, &nr);
    flatten_union(v->type, lhs, &nl);
    /* standardizeVectorForUnion sorts both lists as a union's members */
    cts_type_sort_members(rhs, nr);
    cts_type_sort_members(lhs, nl);
    cts_type *yes[32], *no[32];
    int ny = 0, nn = 0;
    bool all_lhs_subtype = true;
    for (int i = 0; i < nl; i++) {
        cts_type *l = lhs[i];
        if (l->kind == TY_ANY) {
            for (int j = 0; j < nr && ny < 32; j++) yes[ny++] = rhs[j];
            no[nn++] = T_ANY;
            if (!(ny == 1 && yes[0]->kind == TY_ANY)) all_lhs_subtype = false;
            break;
        }
        cts_type *found = NULL;
        for (int j = 0; j < nr; j++) {
            cts_type *smaller = cts_type_subtype(l, rhs[j]) ? l : cts_type_subtype(rhs[j], l) ? rhs[j] : NULL;
            if (!smaller) continue;
            if (cts_type_equal(smaller, l)) found = l;
            else found = found ? em_unify(e, found, rhs[j]) : rhs[j];
        }
        if (found) {
            if (ny < 32) yes[ny++] = found;
        } else {
            if (nn < 32) no[nn++] = l;
            all_lhs_subtype = false;
        }
    }
    refset r = {0};
    if (obj->kind == A_NAME) {
        if (ny) r.t[r.nt++] = (refinement){obj->str, unify_to_union(e, yes, ny)};
        if (nn) r.f[r.nf++] = (refinement){obj->str, unify_to_union(e, no, nn)};
    }
    if (all_lhs_subtype) return cond_static(e, true, r, obj->start, obj->end);
    if (!ny) return cond_static(e, false, r, obj->start, obj->end);
    ir_node *n = em_insert(e, "prim::isinstance", 1, obj->start, obj->end);
    ir_add_input(n, v);
    n->types = calloc((size_t)nr, sizeof *n->types);
    if (!n->types) ir_oom(e->g);
    for (int i = 0; i < nr; i++) {
        cts_type_retain(rhs[i]);
        n->types[i] = rhs[i];
    }
    n->ntypes = nr;
    ir_set_type(n->outputs[0], T_BOOL);
    cond_value c = {n->outputs[0], r, -1};
    return c;
}

static void emit_if(emitter *e, const ast *s) {
    cond_value c = emit_cond_expr(e, s->a);
    emit_if_else_blocks(e, s->start, s->end, &c, s->list, s->nlist, s->list2, s->nlist2);
}

/* ---- assignment ---- */

static void emit_exprs_assign(emitter *e, ast **lhs, int nlhs, sv **outputs, int nout, uint32_t start, uint32_t end,
                              int n_binders);

static bool validate_assign_lhs(emitter *e, ast **lhs, int n, uint32_t start, uint32_t end) {
    int normal = 0, starred = 0;
    for (int i = 0; i < n; i++) {
        ast_kind k = lhs[i]->kind;
        if (k == A_NAME || k == A_SUBSCRIPT || k == A_TUPLE || k == A_LIST) normal++;
        else if (k == A_STARRED) starred++;
        else em_error_at(e, lhs[i], "lhs of assignment must be a variable, subscript, or starred expression");
    }
    if (starred > 1) em_error(e, start, end, "Only one starred expression is allowed on the lhs");
    if (starred && !normal)
        em_error(e, start, end,
                 "A Starred expression may only appear on the lhs within the presence of another non-starred expression");
    return starred > 0;
}

static void emit_subscript_assign(emitter *e, uint32_t start, uint32_t end, const ast *lhs, ir_value *rhs);

static void emit_tuple_assign_sv(emitter *e, const ast *tl, sv *rhs, uint32_t start, uint32_t end, int n_binders,
                                 bool starred) {
    sv *outs[128];
    int n = sv_as_tuple(e, rhs, outs, 128, starred ? -1 : n_binders, start, end);
    if (n < n_binders)
        em_error_at(e, tl, "need %s%d values to unpack but found only %d", starred ? "at least " : "", n_binders, n);
    if (n > n_binders && !starred) em_error_at(e, tl, "too many values to unpack: need %d but found %d", n_binders, n);
    emit_exprs_assign(e, tl->list, tl->nlist, outs, n, start, end, n_binders);
}

static void emit_exprs_assign(emitter *e, ast **lhs, int nlhs, sv **outputs, int nout, uint32_t start, uint32_t end,
                              int n_binders) {
    int i = 0;
    for (int k = 0; k < nlhs; k++) {
        const ast *a = lhs[k];
        switch (a->kind) {
        case A_SUBSCRIPT:
            emit_subscript_assign(e, start, end, a, sv_as_value(e, outputs[i], start, end));
            i++;
            break;
        case A_NAME:
            set_sugared_var(e, a->str, outputs[i], NULL, a->start, a->end);
            i++;
            break;
        case A_STARRED: {
            if (a->a->kind != A_NAME) em_error_at(e, a->a, "Cannot pack a tuple into a non-variable");
            int nm = nout - n_binders;
            ir_value **vals = em_alloc(e, (size_t)(nm + 1) * sizeof *vals);
            for (int j = 0; j < nm; j++) vals[j] = sv_as_value(e, outputs[i + j], a->start, a->end);
            ir_value *t = em_tuple(e, vals, nm, NULL);
            set_var(e, a->a->str, t, a->a->start, a->a->end);
            i += nm;
            break;
        }
        case A_TUPLE:
        case A_LIST: {
            int sub = a->nlist;
            bool st = validate_assign_lhs(e, a->list, a->nlist, a->start, a->end);
            if (st) sub--;
            emit_tuple_assign_sv(e, a, outputs[i], start, end, sub, st);
            i++;
            break;
        }
        default:
            em_error_at(e, a, "unexpected expression on the left-hand side");
        }
    }
}

/* does t mention class cls anywhere (a class attribute may not: 1.13) */
static bool type_contains_class(const cts_type *t, const cts_type *cls) {
    if (t == cls || (t->kind == TY_CLASS && t->cls == cls->cls)) return true;
    for (int i = 0; i < t->n; i++)
        if (t->elems[i] && type_contains_class(t->elems[i], cls)) return true;
    return false;
}

static void emit_select_assign(emitter *e, const ast *lhs, const ast *rhs, const ast *type_ann, uint32_t start,
                               uint32_t end) {
    cts_type *hint = type_ann ? em_parse_type(e, type_ann) : NULL;
    sv *obj = em_sugared_expr(e, lhs->a, 1, NULL);
    ir_value *v = sv_as_value(e, em_sugared_expr(e, rhs, 1, hint), rhs->start, rhs->end);
    if (obj->kind != SV_SIMPLE)
        em_error(e, start, end, "attribute assignment is not defined on this value");
    if (obj->value->type->kind != TY_CLASS) /* SimpleValue::setAttr */
        em_error(e, start, end, "Tried to set an attribute: %s on a non-class: %s", lhs->str,
                 em_type_str(e, obj->value->type));
    cts_type *cls = obj->value->type;
    int slot = cts_class_find_attr(cls->cls, lhs->str);
    if (slot < 0) {
        /* __init__ of a TorchScript class defines its attributes by assigning
         * them, with the type of the value: an annotation (`self.x: T = v`)
         * only types the right-hand side (emitSelectAssign in 1.13) */
        if (e->fn->owner == cls && strcmp(e->fn->name, "__init__") == 0 && !cls->cls->is_module) {
            if (type_contains_class(v->type, cls))
                em_error(e, start, end,
                         "Assignment to attribute '%s' cannot be of a type that contains class '%s'.\n"
                         "Classes that recursively contain instances of themselves are not yet supported",
                         lhs->str, cls->cls->qualname);
            if (cts_class_add_attr(cls->cls, lhs->str, v->type, false, false)) {
                cts_err_oom(e->err, "attribute", 0);
                em_fail(e);
            }
            slot = cts_class_find_attr(cls->cls, lhs->str);
        } else {
            em_error(e, start, end,
                     "Tried to set nonexistent attribute: %s. Did you forget to initialize it in __init__()?", lhs->str);
        }
    }
    cts_type *at = cls->cls->attrs[slot].type;
    v = em_convert(e, at, v, true, start, end);
    if (!cts_type_subtype(v->type, at))
        em_error(e, start, end, "Wrong type for attribute assignment. Expected %s but got %s", em_type_str(e, at),
                 em_type_str(e, v->type));
    ir_node *n = em_insert(e, "prim::SetAttr", 0, start, end);
    n->attr_name = ir_intern(e->g, lhs->str);
    ir_add_input(n, obj->value);
    ir_add_input(n, v);
}

static void emit_single_assignment(emitter *e, const ast *lhs, const ast *rhs, const ast *type_ann, uint32_t start,
                                   uint32_t end) {
    switch (lhs->kind) {
    case A_NAME: {
        cts_type *type = type_ann ? em_parse_type(e, type_ann) : NULL;
        sv *v = em_sugared_expr(e, rhs, 1, type);
        set_sugared_var(e, lhs->str, v, type, lhs->start, lhs->end);
        break;
    }
    case A_TUPLE:
    case A_LIST: {
        int nb = lhs->nlist;
        bool st = validate_assign_lhs(e, lhs->list, lhs->nlist, lhs->start, lhs->end);
        if (st) nb--;
        sv *out = em_sugared_expr(e, rhs, nb, NULL);
        emit_tuple_assign_sv(e, lhs, out, rhs->start, rhs->end, nb, st);
        break;
    }
    case A_ATTR:
        emit_select_assign(e, lhs, rhs, type_ann, start, end);
        break;
    case A_SUBSCRIPT:
        emit_subscript_assign(e, start, end, lhs, em_expr(e, rhs, NULL));
        break;
    default:
        em_error_at(e, lhs, "unexpected expression on left-hand side of assignment");
    }
}

static void emit_assignment(emitter *e, const ast *s) {
    if (s->kind == S_ANNASSIGN) {
        if (!s->c) em_error_at(e, s, "For an assignment, expected an expression on the right-hand side");
        emit_single_assignment(e, s->a, s->c, s->b, s->start, s->end);
        return;
    }
    if (s->nlist == 1) {
        emit_single_assignment(e, s->list[0], s->a, NULL, s->start, s->end);
        return;
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "$tmp_assign_%d", e->temp_count++);
    const char *tmpname = em_strdup(e, tmp);
    set_sugared_var(e, tmpname, em_sugared_expr(e, s->a, 1, NULL), NULL, s->a->start, s->a->end);
    ast *ident = em_alloc(e, sizeof *ident);
    ident->kind = A_NAME;
    ident->str = tmpname;
    ident->start = s->a->start;
    ident->end = s->a->end;
    for (int i = 0; i < s->nlist; i++) emit_single_assignment(e, s->list[i], ident, NULL, s->start, s->end);
}

static const char *aug_op(int op, bool inplace) {
    switch (op) {
    case T_PLUS: return inplace ? "aten::add_" : "aten::add";
    case T_MINUS: return inplace ? "aten::sub_" : "aten::sub";
    case T_SLASH: return inplace ? "aten::div_" : "aten::div";
    case T_STAR: return inplace ? "aten::mul_" : "aten::mul";
    case T_PERCENT: return inplace ? "aten::fmod_" : "aten::fmod";
    case T_PIPE: return inplace ? "aten::bitwise_or" : "aten::__or__";
    case T_AMP: return inplace ? "aten::bitwise_and" : "aten::__and__";
    case T_CARET: return inplace ? "aten::bitwise_xor" : "aten::__xor__";
    case T_LSHIFT: return "aten::__lshift__";
    case T_RSHIFT: return inplace ? "aten::__irshift__" : "aten::__rshift__";
    case T_POW: return "aten::pow";
    case T_DSLASH: return "aten::floordiv";
    default: return NULL;
    }
}

static ir_value *emit_aug_helper(emitter *e, const ast *s, ir_value *lhs) {
    bool inplace = lhs->type->kind == TY_TENSOR || lhs->type->kind == TY_LIST;
    const char *op = aug_op(s->op, inplace);
    if (!op) em_error_at(e, s, "Unknown augmented assignment: %s", cts_tok_name((cts_tok)s->op));
    if (lhs->type->kind == TY_CLASS) {
        static const struct { int op; const char *in, *out; } magic[] = {
            {T_PLUS, "__iadd__", "__add__"}, {T_MINUS, "__isub__", "__sub__"}, {T_SLASH, "__itruediv__", "__truediv__"},
            {T_STAR, "__imul__", "__mul__"}, {T_PERCENT, "__imod__", "__mod__"}};
        for (size_t i = 0; i < sizeof magic / sizeof *magic; i++) {
            if (magic[i].op != s->op) continue;
            ir_value *rhs = em_expr(e, s->b, NULL);
            const char *mname = cts_cu_get_method(e->cu, lhs->type, magic[i].in, e->err) ? magic[i].in
                                : cts_cu_get_method(e->cu, lhs->type, magic[i].out, e->err) ? magic[i].out
                                                                                          : NULL;
            if (!mname)
                em_error_at(e, s, "Cannot emit inplace op on %s since it does not define an %s or %s method",
                            em_type_str(e, lhs->type), magic[i].in, magic[i].out);
            sv *m = sv_new(e, SV_METHOD);
            m->value = lhs;
            m->name = mname;
            nval a = {0};
            a.value = rhs;
            return sv_as_value(e, sv_call(e, m, &a, 1, NULL, 0, 1, s->start, s->end), s->start, s->end);
        }
        em_error_at(e, s, "Unknown augmented assignment");
    }
    ir_value *rhs = em_expr(e, s->b, NULL);
    nval a[2] = {{0}, {0}};
    a[0].value = lhs;
    a[1].value = rhs;
    return em_builtin_call(e, op, a, 2, NULL, 0, NULL, s->start, s->end);
}

static void emit_aug_assignment(emitter *e, const ast *s) {
    const ast *lhs = s->a;
    /* 1.13's Python frontend (frontend.py augassign_map) has no //= or @= */
    if (e->src->python_frontend && (s->op == T_DSLASH || s->op == T_AT))
        em_error_at(e, s, "unsupported kind of augumented assignment: %s", s->op == T_DSLASH ? "FloorDiv" : "MatMult");
    if (lhs->kind == A_NAME) {
        ir_value *l = em_expr(e, lhs, NULL);
        ir_value *r = emit_aug_helper(e, s, l);
        set_var(e, lhs->str, r, lhs->start, lhs->end);
    } else if (lhs->kind == A_ATTR) {
        sv *obj = em_sugared_expr(e, lhs->a, 1, NULL);
        ir_value *l = sv_as_value(e, sv_attr(e, obj, lhs->str, lhs->start, lhs->end), lhs->start, lhs->end);
        ir_value *r = emit_aug_helper(e, s, l);
        if (obj->kind != SV_SIMPLE) em_error_at(e, lhs, "augmented assignment to a non-class attribute");
        ir_node *n = em_insert(e, "prim::SetAttr", 0, s->start, s->end);
        n->attr_name = ir_intern(e->g, lhs->str);
        ir_add_input(n, obj->value);
        ir_add_input(n, r);
    } else if (lhs->kind == A_SUBSCRIPT) {
        ir_value *container = em_expr(e, lhs->a, NULL);
        if (container->type->kind == TY_TENSOR) {
            ir_value **tidx;
            int nt;
            ir_value *sliced = emit_int_and_slice_indexing(e, lhs, container, &tidx, &nt);
            ir_value *rhs = em_expr(e, s->b, NULL);
            const char *op = aug_op(s->op, true);
            if (!nt) {
                nval self = {0}, r = {0};
                self.name = "self";
                self.value = sliced;
                r.value = rhs;
                em_builtin_call(e, op, &r, 1, NULL, 0, &self, s->start, s->end);
            } else {
                ir_value *lst = em_list(e, em_hold(e, cts_type_optional(T_TENSOR)), tidx, nt);
                nval a[2] = {{0}, {0}};
                a[0].value = sliced;
                a[1].value = lst;
                ir_value *indexed = em_builtin_call(e, "aten::index", a, 2, NULL, 0, NULL, s->start, s->end);
                nval self = {0}, r = {0};
                self.name = "self";
                self.value = indexed;
                r.value = rhs;
                ir_value *aug = em_builtin_call(e, op, &r, 1, NULL, 0, &self, s->start, s->end);
                nval b[3] = {{0}, {0}, {0}};
                b[0].value = sliced;
                b[1].value = lst;
                b[2].value = aug;
                em_builtin_call(e, "aten::index_put_", b, 3, NULL, 0, NULL, s->start, s->end);
            }
            return;
        }
        if (lhs->nlist != 1) em_error_at(e, lhs, "Sliced expression not yet supported for augmented assignment");
        cts_type *el = container->type->kind == TY_LIST   ? container->type->elems[0]
                       : container->type->kind == TY_DICT ? container->type->elems[1]
                                                          : NULL;
        if (!el) em_error_at(e, lhs, "%s does not support augmented assignment.", em_type_str(e, container->type));
        ir_value *idx = em_expr(e, lhs->list[0], NULL);
        ir_value *val = em_expr(e, s->b, NULL);
        nval g[2] = {{0}, {0}};
        g[0].value = container;
        g[1].value = idx;
        ir_value *item = em_builtin_call(e, "aten::__getitem__", g, 2, NULL, 0, NULL, s->start, s->end);
        const char *op = aug_op(s->op, el->kind == TY_TENSOR || el->kind == TY_LIST);
        nval o[2] = {{0}, {0}};
        o[0].value = item;
        o[1].value = val;
        ir_value *aug = em_builtin_call(e, op, o, 2, NULL, 0, NULL, s->start, s->end);
        nval si[3] = {{0}, {0}, {0}};
        si[0].value = container;
        si[1].value = idx;
        si[2].value = aug;
        em_builtin_call(e, "aten::_set_item", si, 3, NULL, 0, NULL, s->start, s->end);
    } else {
        em_error_at(e, lhs, "unexpected expression on left-hand side of augmented assignment");
    }
}

static void emit_subscript_assign(emitter *e, uint32_t start, uint32_t end, const ast *lhs, ir_value *rhs) {
    ir_value *sliceable = em_expr(e, lhs->a, NULL);
    if (sliceable->type->kind == TY_TENSOR) {
        ir_value **tidx;
        int nt;
        ir_value *sliced = emit_int_and_slice_indexing(e, lhs, sliceable, &tidx, &nt);
        /* a number on the right becomes a tensor of the target's dtype and device */
        cts_type_kind rk = rhs->type->kind;
        if (rk == TY_NUMBER || rk == TY_INT || rk == TY_BOOL || rk == TY_FLOAT) {
            nval a = {0};
            a.value = sliced;
            ir_value *dtype = em_builtin_call(e, "prim::dtype", &a, 1, NULL, 0, NULL, start, end);
            ir_value *device = em_builtin_call(e, "prim::device", &a, 1, NULL, 0, NULL, start, end);
            nval v = {0}, kw[2] = {{0}, {0}};
            v.value = rhs;
            kw[0].name = "dtype";
            kw[0].value = dtype;
            kw[1].name = "device";
            kw[1].value = device;
            rhs = em_builtin_call(e, "aten::tensor", &v, 1, kw, 2, NULL, start, end);
        }
        if (!nt) {
            nval a[2] = {{0}, {0}};
            a[0].value = sliced;
            a[1].value = rhs;
            em_builtin_call(e, "aten::copy_", a, 2, NULL, 0, NULL, start, end);
        } else {
            ir_value *lst = em_list(e, em_hold(e, cts_type_optional(T_TENSOR)), tidx, nt);
            nval a[3] = {{0}, {0}, {0}};
            a[0].value = sliced;
            a[1].value = lst;
            a[2].value = rhs;
            em_builtin_call(e, "aten::index_put_", a, 3, NULL, 0, NULL, start, end);
        }
        return;
    }
    if (lhs->nlist != 1 || lhs->list[0]->kind == A_SLICE)
        em_error(e, start, end, "Sliced expression not yet supported for subscripted assignment. File a bug if you want this");
    if (sliceable->type->kind == TY_TUPLE)
        em_error_at(e, lhs, "%s does not support subscripted assignment", em_type_str(e, sliceable->type));
    nval a[3] = {{0}, {0}, {0}};
    a[0].name = "self";
    a[0].value = sliceable;
    a[1].name = "idx";
    a[1].value = em_expr(e, lhs->list[0], NULL);
    a[2].value = rhs;
    sv *magic = sv_new(e, SV_MAGIC);
    magic->name = "__setitem__";
    magic->inner = sv_new(e, SV_BUILTIN);
    magic->inner->name = "aten::_set_item";
    sv_call(e, magic, a, 3, NULL, 0, 0, start, end);
}

/* ---- return, raise, assert, loops ---- */

static void emit_return(emitter *e, const ast *s) {
    cts_type *rt = e->declared_ret;
    ir_value *result;
    if (s->a) {
        result = em_expr(e, s->a, rt);
    } else {
        result = em_const(e, cv_none(), s->start, s->end);
    }
    if (rt) {
        if (!(cts_type_subtype(rt, T_TENSOR) && result->type->kind == TY_NONE))
            result = em_convert(e, rt, result, true, s->start, s->end);
        if (!cts_type_subtype(result->type, rt))
            em_error_at(e, s, "Return value was annotated as having type %s but is actually of type %s",
                        em_type_str(e, rt), em_type_str(e, result->type));
    } else {
        rt = e->merged_ret ? e->merged_ret : result->type;
        cts_type *m = em_unify(e, rt, result->type);
        if (!m)
            em_error_at(e, s, "Previous return statement returned a value of type %s but this return statement returns a value of type %s",
                        em_type_str(e, rt), em_type_str(e, result->type));
        rt = m;
    }
    e->merged_ret = rt;
    if (rt->kind == TY_ANY && result->type->kind != TY_ANY) result = em_unchecked_cast(e, result, rt);
    ir_node *n = em_insert(e, "prim::ReturnStmt", 0, s->start, s->end);
    ir_add_input(n, result);
    mark_exit_block(e, e->env->b);
}

static void emit_raise(emitter *e, const ast *s) {
    if (!s->a) em_error_at(e, s, "exceptions must derive from BaseException");
    sv *v = em_sugared_expr(e, s->a, 1, NULL);
    ir_value *msg, *cls = NULL;
    if (v->kind == SV_EXCEPTION_MSG) {
        msg = v->value;
        cls = v->cls_value;
    } else if (v->kind == SV_EXCEPTION) {
        cv_value empty;
        if (cv_str_new("", 0, &empty, e->err)) em_fail(e);
        msg = em_const(e, empty, s->start, s->end);
        cv_release(empty);
    } else {
        em_error_at(e, s, "exceptions must derive from BaseException");
    }
    if (msg->type->kind != TY_STR) {
        nval a = {0};
        a.value = msg;
        msg = em_builtin_call(e, "aten::str", &a, 1, NULL, 0, NULL, s->start, s->end);
    }
    nval a[2] = {{0}, {0}};
    a[0].value = msg;
    a[1].value = cls;
    em_builtin_call(e, "prim::RaiseException", a, cls ? 2 : 1, NULL, 0, NULL, s->start, s->end);
    mark_exit_block(e, e->env->b);
}

static void emit_assert(emitter *e, const ast *s) {
    cond_value c = emit_cond_expr(e, s->a);
    /* false branch: raise AssertionError(msg) */
    ast *callee = em_alloc(e, sizeof *callee);
    callee->kind = A_NAME;
    callee->str = "AssertionError";
    callee->start = s->start;
    callee->end = s->end;
    ast *msg = s->b;
    if (!msg) {
        msg = em_alloc(e, sizeof *msg);
        msg->kind = A_STR;
        msg->str = "";
        msg->slen = 0;
        msg->start = s->start;
        msg->end = s->end;
    }
    ast *call = em_alloc(e, sizeof *call);
    call->kind = A_CALL;
    call->a = callee;
    call->list = em_alloc(e, sizeof *call->list);
    call->list[0] = msg;
    call->nlist = 1;
    call->start = s->start;
    call->end = s->end;
    ast *raise = em_alloc(e, sizeof *raise);
    raise->kind = S_RAISE;
    raise->a = call;
    raise->start = s->start;
    raise->end = s->end;
    ast **fb = em_alloc(e, sizeof *fb);
    fb[0] = raise;
    emit_if_else_blocks(e, s->start, s->end, &c, NULL, 0, fb, 1);
}

typedef struct loop_body {
    ast **stmts;
    int n;
    /* comprehension bodies */
    const ast *comp;
    ir_value *acc;
    int comp_kind; /* 0 statements, 1 list comp, 2 dict comp */
    bool type_set; /* the accumulator's type is known (hint or first element) */
} loop_body;

static void emit_loop_body(emitter *e, loop_body *lb) {
    if (lb->comp_kind == 0) {
        emit_statements(e, lb->stmts, lb->n);
    } else if (lb->comp_kind == 1) {
        const ast *c = lb->comp;
        ir_value *out = em_expr(e, c->a, NULL);
        if (!lb->type_set) { /* PyTorch types the list by its first element */
            ir_set_type(lb->acc, em_hold(e, cts_type_list(out->type)));
            lb->type_set = true;
        }
        nval self = {0}, in = {0};
        self.name = "self";
        self.value = lb->acc;
        in.value = out;
        em_builtin_call(e, "aten::append", &in, 1, NULL, 0, &self, c->start, c->end);
    } else {
        const ast *c = lb->comp;
        ir_value *k = em_expr(e, c->a, NULL);
        ir_value *v = em_expr(e, c->e, NULL);
        if (!lb->type_set) {
            ir_set_type(lb->acc, em_hold(e, cts_type_dict(k->type, v->type)));
            lb->type_set = true;
        }
        nval a[3] = {{0}, {0}, {0}};
        a[0].name = "self";
        a[0].value = lb->acc;
        a[1].value = k;
        a[2].value = v;
        em_builtin_call(e, "aten::_set_item", a, 3, NULL, 0, NULL, c->start, c->end);
    }
}

/* A for loop's targets as the left side of one assignment per item:
 * `for a, b in ...` unpacks each item into (a, b) (validated first). */
static ast **loop_targets(emitter *e, ast **targets, int ntargets, uint32_t start, uint32_t end, int *nlhs) {
    validate_assign_lhs(e, targets, ntargets, start, end);
    *nlhs = ntargets;
    if (ntargets <= 1) return targets;
    ast *tl = em_alloc(e, sizeof *tl);
    tl->kind = A_TUPLE;
    tl->list = targets;
    tl->nlist = ntargets;
    tl->start = start;
    tl->end = end;
    ast **one = em_alloc(e, sizeof *one);
    one[0] = tl;
    *nlhs = 1;
    return one;
}

static void emit_loop_common(emitter *e, uint32_t start, uint32_t end, loop_body *lb, sv *iter, ast **targets,
                             int ntargets, const ast *cond) {
    ir_value *max_trip;
    if (iter) max_trip = sv_len(e, iter, start, end);
    else max_trip = em_int_const(e, INT64_MAX, start, end);
    ir_node *n = em_insert(e, "prim::Loop", 0, start, end);
    ir_block *body = ir_add_block(n);
    {
        ir_block *cb = ir_add_block(n);
        push_frame(e, cb);
        ir_value *out;
        ir_node *saved = e->g->insert_before;
        if (cond) {
            ir_set_insert_end(e->g, cb);
            out = emit_to_bool(e, em_expr(e, cond, NULL), cond->start, cond->end);
        } else {
            e->g->insert_before = n;
            out = em_const(e, cv_bool(true), start, end);
        }
        e->g->insert_before = saved;
        ir_block_register_output(cb, out);
        pop_frame(e);
    }
    ir_add_input(n, max_trip);
    loop_status prev = e->loop;
    e->loop = IN_LOOP;
    ir_value *trip = ir_block_add_input(body, NULL);
    ir_set_type(trip, T_INT);
    push_frame(e, body);
    ir_node *saved = e->g->insert_before;
    ir_set_insert_end(e->g, body);
    if (iter && targets) {
        sv *cur = sv_getitem(e, iter, trip, start, end);
        ir_value *curv = sv_as_value(e, cur, start, end);
        sv *elem = sv_simple(e, curv);
        int nlhs;
        ast **lhs = loop_targets(e, targets, ntargets, start, end, &nlhs);
        emit_exprs_assign(e, lhs, nlhs, &elem, 1, start, end, 1);
    }
    emit_loop_body(e, lb);
    e->g->insert_before = saved;
    pop_frame(e);
    e->loop = prev;
}

static void emit_unrolled_loop(emitter *e, uint32_t start, uint32_t end, loop_body *lb, sv *iter, ast **targets,
                               int ntargets) {
    if (!iter->has_static_len) em_error(e, start, end, "Unrolled loop iter should have static length");
    loop_status prev = e->loop;
    e->loop = IN_UNROLLED_LOOP;
    int nlhs;
    ast **lhs = loop_targets(e, targets, ntargets, start, end, &nlhs);
    for (int64_t i = 0; i < iter->static_len; i++) {
        ir_value *idx = em_int_const(e, i, start, end);
        sv *item = sv_getitem(e, iter, idx, start, end);
        emit_exprs_assign(e, lhs, nlhs, &item, 1, start, end, 1);
        emit_loop_body(e, lb);
    }
    e->loop = prev;
}

static void emit_for_common(emitter *e, ast **targets, int ntargets, const ast *itr, uint32_t start, uint32_t end,
                            loop_body *lb) {
    sv *s = em_sugared_expr(e, itr, 1, NULL);
    sv *iterable = sv_iter(e, s, start, end);
    if (!sv_should_unroll(iterable)) emit_loop_common(e, start, end, lb, iterable, targets, ntargets, NULL);
    else emit_unrolled_loop(e, start, end, lb, iterable, targets, ntargets);
}

static void emit_for(emitter *e, const ast *s) {
    if (s->nlist2) em_error_at(e, s, "else branches of for loops aren't supported");
    loop_body lb = {s->list, s->nlist, NULL, NULL, 0, false};
    ast **targets;
    int nt;
    if (s->a->kind == A_TUPLE) {
        targets = s->a->list;
        nt = s->a->nlist;
    } else {
        targets = em_alloc(e, sizeof *targets);
        targets[0] = s->a;
        nt = 1;
    }
    emit_for_common(e, targets, nt, s->b, s->start, s->end, &lb);
}

static void emit_while(emitter *e, const ast *s) {
    if (s->nlist2) em_error_at(e, s, "else branches of while loops aren't supported");
    loop_body lb = {s->list, s->nlist, NULL, NULL, 0, false};
    emit_loop_common(e, s->start, s->end, &lb, NULL, NULL, 0, s->a);
}

static void check_break_continue(emitter *e, const ast *s, const char *what) {
    if (e->loop == NOT_IN_LOOP) em_error_at(e, s, "SyntaxError: '%s' outside loop", what);
    if (e->loop == IN_UNROLLED_LOOP)
        em_error_at(e, s, "Because we emit iteration over modulelists or tuples as unrolled loops, we do not support "
                          "break or continue inside the body of these loops");
}

static void emit_delete(emitter *e, const ast *s) {
    for (int i = 0; i < s->nlist; i++) {
        const ast *t = s->list[i];
        if (t->kind == A_SUBSCRIPT) {
            if (t->list[0]->kind == A_SLICE)
                em_error_at(e, t, "del statements only support deletion at a single index, slicing is not supported");
            sv *v = em_sugared_expr(e, t->a, 1, NULL);
            ir_value *idx = em_expr(e, t->list[0], NULL);
            ir_value *val = sv_as_value(e, v, t->a->start, t->a->end);
            if (val->type->kind == TY_CLASS) {
                sv *m = sv_new(e, SV_METHOD);
                m->value = val;
                m->name = "__delitem__";
                nval a = {0};
                a.value = idx;
                sv_call(e, m, &a, 1, NULL, 0, 0, s->start, s->end);
            } else {
                ir_node *n = em_insert(e, "aten::Delete", 0, t->start, t->end);
                ir_add_input(n, val);
                ir_add_input(n, idx);
                n->k = K_OP;
                em_resolve_schema(e, n);
            }
        } else if (t->kind == A_NAME) {
            bool removed = false;
            for (env *f = e->env; f; f = f->next) {
                bool a = cts_map_get(&f->values, t->str) != NULL, b = cts_map_get(&f->types, t->str) != NULL;
                if (a) cts_map_put(&f->values, cts_map_get(&f->values, t->str) ? t->str : t->str, NULL);
                if (b) {
                    /* erase: replace with a tombstone map without the key */
                    cts_map nm;
                    cts_map_init(&nm);
                    for (size_t k = 0; k < f->types.cap; k++)
                        if (f->types.slots[k].key && strcmp(f->types.slots[k].key, t->str))
                            map_put(e, &nm, f->types.slots[k].key, f->types.slots[k].val);
                    cts_map_free(&f->types);
                    f->types = nm;
                }
                removed = a || b;
            }
            if (!removed) em_error_at(e, t, "undefined value %s", t->str);
        } else {
            em_error_at(e, t, "del statements are only supported for deleting list and dict items and variables");
        }
    }
}

/* with a as b: prim::Enter / prim::Exit around the body (PyTorch's emitWith) */
static void emit_with(emitter *e, const ast *s) {
    ir_value *entered[16];
    int ne = 0;
    for (int i = 0; i < s->nlist; i++) {
        const ast *item = s->list[i];
        ir_value *rhs = em_expr(e, item->a, NULL);
        ir_node *n = em_insert(e, "prim::Enter", 1, item->start, item->end);
        ir_add_input(n, rhs);
        if (ne < 16) entered[ne++] = rhs;
        if (rhs->type->kind != TY_CLASS) em_error_at(e, item->a, "With item expression must return an object");
        ir_function *en = cts_cu_get_method(e->cu, rhs->type, "__enter__", e->err);
        ir_function *ex = cts_cu_get_method(e->cu, rhs->type, "__exit__", e->err);
        if (!en || !ex)
            em_error_at(e, item->a, "Object returned by with item expression does not define __enter__ and __exit__ methods");
        if (cts_cu_ensure_schema(e->cu, en, e->err) || cts_cu_ensure_schema(e->cu, ex, e->err)) em_fail(e);
        if (en->schema->nargs != 1) em_error_at(e, item->a, "__enter__ must have only one argument and one return value");
        if (ex->schema->nargs != 4) em_error_at(e, item->a, "__exit__ must have four arguments");
        ir_set_type(n->outputs[0], en->schema->rets[0].type->kind == TY_ANY ? T_NONE : en->schema->rets[0].type);
        if (item->b) {
            if (item->b->kind != A_NAME) em_error_at(e, item->b, "with ... as target must be a name");
            set_var(e, item->b->str, n->outputs[0], item->b->start, item->b->end);
        }
    }
    emit_statements(e, s->list2, s->nlist2);
    while (ne > 0) {
        ir_node *x = em_insert(e, "prim::Exit", 1, s->start, s->end);
        ir_add_input(x, entered[--ne]);
    }
}

static void emit_statements(emitter *e, ast **stmts, int n) {
    for (int i = 0; i < n; i++) {
        const ast *s = stmts[i];
        switch (s->kind) {
        case S_IF: emit_if(e, s); break;
        case S_WHILE: emit_while(e, s); break;
        case S_FOR: emit_for(e, s); break;
        case S_ASSIGN:
        case S_ANNASSIGN: emit_assignment(e, s); break;
        case S_AUGASSIGN: emit_aug_assignment(e, s); break;
        case S_EXPR: em_sugared_expr(e, s->a, 0, NULL); break;
        case S_RAISE: emit_raise(e, s); break;
        case S_ASSERT: emit_assert(e, s); break;
        case S_RETURN: emit_return(e, s); break;
        case S_CONTINUE:
            check_break_continue(e, s, "continue");
            em_insert(e, "prim::ContinueStmt", 0, s->start, s->end);
            break;
        case S_BREAK:
            check_break_continue(e, s, "break");
            em_insert(e, "prim::BreakStmt", 0, s->start, s->end);
            break;
        case S_PASS: break;
        case S_DEL: emit_delete(e, s); break;
        case S_DEF: em_error_at(e, s, "nested function definitions are not supported by cts yet"); break;
        case S_WITH: emit_with(e, s); break;
        case S_GLOBAL:
        case S_NONLOCAL: em_error_at(e, s, "global and nonlocal are not supported in TorchScript"); break;
        case S_IMPORT:
        case S_IMPORTFROM: em_error_at(e, s, "import statements inside functions are not supported"); break;
        case S_CLASS: em_error_at(e, s, "class definitions inside functions are not supported"); break;
        default: em_error_at(e, s, "Unrecognized statement kind");
        }
        if (is_exit_block(e, e->env->b)) return;
    }
}

/* ---- expressions ---- */

static const char *binop_kind(int op) {
    switch (op) {
    case T_PLUS: return "aten::add";
    case T_MINUS: return "aten::sub";
    case T_STAR: return "aten::mul";
    case T_POW: return "aten::pow";
    case T_AT: return "aten::matmul";
    case T_SLASH: return "aten::div";
    case T_PERCENT: return "aten::remainder";
    case T_NE: return "aten::ne";
    case T_EQ: return "aten::eq";
    case T_LT: return "aten::lt";
    case T_GT: return "aten::gt";
    case T_LE: return "aten::le";
    case T_GE: return "aten::ge";
    case T_AMP: return "aten::__and__";
    case T_PIPE: return "aten::__or__";
    case T_CARET: return "aten::__xor__";
    case T_IN: return "aten::__contains__";
    case T_DSLASH: return "aten::floordiv";
    case T_LSHIFT: return "aten::__lshift__";
    case T_RSHIFT: return "aten::__rshift__";
    case T_IS: return "aten::__is__";
    case T_ISNOT: return "aten::__isnot__";
    default: return NULL;
    }
}

static const char *binop_magic(int op) {
    switch (op) {
    case T_PLUS: return "__add__";
    case T_MINUS: return "__sub__";
    case T_STAR: return "__mul__";
    case T_POW: return "__pow__";
    case T_SLASH: return "__truediv__";
    case T_PERCENT: return "__mod__";
    case T_NE: return "__ne__";
    case T_EQ: return "__eq__";
    case T_LT: return "__lt__";
    case T_GT: return "__gt__";
    case T_LE: return "__le__";
    case T_GE: return "__ge__";
    case T_AMP: return "__and__";
    case T_PIPE: return "__or__";
    case T_CARET: return "__xor__";
    case T_IN: return "__contains__";
    case T_LSHIFT: return "__lshift__";
    case T_RSHIFT: return "__rshift__";
    case T_DSLASH: return "__floordiv__";
    case T_AT: return "__matmul__";
    default: return "__unknown__";
    }
}

static ir_value *emit_binary(emitter *e, int op, const ast *l, const ast *r, uint32_t start, uint32_t end) {
    nval a[2] = {{0}, {0}};
    a[0].value = em_expr(e, l, NULL);
    a[0].start = l->start;
    a[0].end = l->end;
    a[1].value = em_expr(e, r, NULL);
    a[1].start = r->start;
    a[1].end = r->end;
    if (op == T_IN) {
        nval t = a[0];
        a[0] = a[1];
        a[1] = t;
    }
    const char *kind = binop_kind(op);
    if (!kind) em_error(e, start, end, "unknown operator");
    if (a[0].value->type->kind == TY_TUPLE && a[1].value->type->kind == TY_TUPLE && op == T_PLUS) {
        int n0 = a[0].value->type->n, n1 = a[1].value->type->n;
        sv *s0[64], *s1[64];
        if (n0 + n1 > 128) em_error(e, start, end, "tuple too long");
        sv_as_tuple(e, sv_simple(e, a[0].value), s0, 64, n0, start, end);
        sv_as_tuple(e, sv_simple(e, a[1].value), s1, 64, n1, start, end);
        ir_value *vals[128];
        for (int i = 0; i < n0; i++) vals[i] = sv_as_value(e, s0[i], start, end);
        for (int i = 0; i < n1; i++) vals[n0 + i] = sv_as_value(e, s1[i], start, end);
        return em_tuple(e, vals, n0 + n1, NULL);
    }
    sv *magic = sv_new(e, SV_MAGIC);
    magic->name = binop_magic(op);
    magic->inner = sv_new(e, SV_BUILTIN);
    magic->inner->name = kind;
    return sv_as_value(e, sv_call(e, magic, a, 2, NULL, 0, 0, start, end), start, end);
}

/* a single comparison `l op r` as PyTorch's frontend builds it: `not in`
 * is not(in), `is`/`is not` go through the refining condition path */
static ir_value *emit_compare_pair(emitter *e, int op, const ast *l, const ast *r, uint32_t start, uint32_t end) {
    if (op == T_IS || op == T_ISNOT) {
        ast cmp = {0};
        ast *ops_list[2] = {(ast *)l, (ast *)r};
        int ops[1] = {op};
        cmp.kind = A_CMP;
        cmp.list = ops_list;
        cmp.nlist = 2;
        cmp.ops = ops;
        cmp.nops = 1;
        cmp.start = start;
        cmp.end = end;
        return emit_cond_expr(e, &cmp).value;
    }
    if (op == T_NOTIN) {
        ir_value *in = emit_binary(e, T_IN, l, r, start, end);
        nval a = {0};
        a.value = in;
        return em_builtin_call(e, "aten::__not__", &a, 1, NULL, 0, NULL, start, end);
    }
    return emit_binary(e, op, l, r, start, end);
}

static ir_value *emit_compare(emitter *e, const ast *n) {
    if (n->nops == 1) return emit_compare_pair(e, n->ops[0], n->list[0], n->list[1], n->start, n->end);
    /* a < b < c is (a < b) and (b < c), with b evaluated in each: PyTorch's
     * frontend rewrites the chain into nested `and`s of pairs */
    ast *result = NULL;
    for (int i = 0; i < n->nops; i++) {
        ast *pair = em_alloc(e, sizeof *pair);
        pair->kind = A_CMP;
        pair->list = em_alloc(e, 2 * sizeof *pair->list);
        pair->list[0] = n->list[i];
        pair->list[1] = n->list[i + 1];
        pair->nlist = 2;
        pair->ops = em_alloc(e, sizeof *pair->ops);
        pair->ops[0] = n->ops[i];
        pair->nops = 1;
        pair->start = n->list[i]->start;
        pair->end = n->list[i + 1]->end;
        if (!result) {
            result = pair;
        } else {
            ast *and_ = em_alloc(e, sizeof *and_);
            and_->kind = A_BOOLOP;
            and_->op = T_AND;
            and_->a = result;
            and_->b = pair;
            and_->start = n->start;
            and_->end = n->end;
            result = and_;
        }
    }
    return emit_cond_expr(e, result).value;
}

static ir_value *emit_unary(emitter *e, const ast *n) {
    const char *magic = n->op == T_MINUS ? "__neg__" : n->op == T_TILDE ? "__invert__" : NULL;
    const char *op = n->op == T_MINUS ? "aten::neg" : n->op == T_TILDE ? "aten::bitwise_not" : NULL;
    if (n->op == T_NOT) return emit_cond_expr(e, n).value;
    if (n->op == T_PLUS) return em_expr(e, n->a, NULL);
    /* PyTorch's C++ parser folds '-' into a number literal: `-1` is the
     * constant -1 (its Python frontend does not: there the negation is run
     * at compile time below) */
    if (!e->src->python_frontend && n->op == T_MINUS && n->a->kind == A_INT)
        return em_int_const(e, (int64_t)(0u - (uint64_t)n->a->ival), n->start, n->end);
    if (!e->src->python_frontend && n->op == T_MINUS && n->a->kind == A_FLOAT)
        return em_float_const(e, -n->a->fval, n->start, n->end);
    if (!op) em_error_at(e, n, "unknown unary operator");
    nval a = {0};
    a.value = em_expr(e, n->a, NULL);
    sv *m = sv_new(e, SV_MAGIC);
    m->name = magic;
    m->inner = sv_new(e, SV_BUILTIN);
    m->inner->name = op;
    ir_value *v = sv_as_value(e, sv_call(e, m, &a, 1, NULL, 0, 0, n->start, n->end), n->start, n->end);
    if (strcmp(v->node->kind, op) != 0) return v;
    /* constant-fold negation of number literals, as PyTorch's emitUnaryOp does */
    ir_value *in = v->node->inputs[0];
    if (in->node->k == K_CONSTANT && in->node->has_value) {
        cv_value c = in->node->value;
        if (strcmp(op, "aten::neg") == 0 && c.tag == CV_INT) return em_const(e, cv_int((int64_t)(0u - (uint64_t)c.u.i)), n->start, n->end);
        if (strcmp(op, "aten::neg") == 0 && c.tag == CV_FLOAT) return em_const(e, cv_float(-c.u.f), n->start, n->end);
        if (strcmp(op, "aten::bitwise_not") == 0 && c.tag == CV_INT) return em_const(e, cv_int(~c.u.i), n->start, n->end);
    }
    return v;
}

static cts_type *unify_list(emitter *e, ir_value **vals, int n) {
    cts_type *t = vals[0]->type;
    for (int i = 1; i < n; i++) {
        cts_type *u = em_unify(e, t, vals[i]->type);
        if (!u) return NULL;
        t = u;
    }
    return t;
}

static int gather_values(emitter *e, ast **items, int n, ir_value ***out) {
    int cap = n + 8, k = 0;
    ir_value **vals = em_alloc(e, (size_t)cap * sizeof *vals);
    for (int i = 0; i < n; i++) {
        if (items[i]->kind == A_STARRED) {
            sv *s = em_sugared_expr(e, items[i]->a, 1, NULL);
            sv *parts[128];
            int np = sv_as_tuple(e, s, parts, 128, -1, items[i]->start, items[i]->end);
            if (k + np >= cap) {
                ir_value **nv = em_alloc(e, (size_t)(cap + np + 8) * sizeof *nv);
                memcpy(nv, vals, (size_t)k * sizeof *nv);
                vals = nv;
                cap += np + 8;
            }
            for (int j = 0; j < np; j++) vals[k++] = sv_as_value(e, parts[j], items[i]->start, items[i]->end);
        } else {
            vals[k++] = em_expr(e, items[i], NULL);
        }
    }
    *out = vals;
    return k;
}

static ir_value *emit_list_literal(emitter *e, const ast *n, cts_type *hint) {
    ir_value **vals;
    int nv = gather_values(e, n->list, n->nlist, &vals);
    cts_type *elem = T_TENSOR;
    cts_type *annotated_union = hint && (hint->kind == TY_UNION || hint->kind == TY_OPTIONAL) ? hint : NULL;
    if (annotated_union) {
        /* a union hint: use its list member, if it has one */
        cts_type *lh = NULL;
        for (int i = 0; i < hint->n; i++)
            if (hint->elems[i]->kind == TY_LIST) lh = hint->elems[i];
        hint = lh;
        if (!lh) annotated_union = NULL;
    }
    if (hint) {
        if (hint->kind != TY_LIST) em_error_at(e, n, "Expected a List type hint but instead got %s", em_type_str(e, hint));
        elem = hint->elems[0];
    } else if (nv) {
        elem = unify_list(e, vals, nv);
        if (!elem) {
            /* 1.13 unifies heterogeneous literals to a Union */
            cts_type **ts = em_alloc(e, (size_t)nv * sizeof *ts);
            for (int i = 0; i < nv; i++) ts[i] = vals[i]->type;
            elem = em_hold(e, cts_type_union(nv, ts));
        }
    }
    for (int i = 0; i < nv; i++)
        if (!cts_type_subtype(vals[i]->type, elem))
            em_error_at(e, n, "Lists must contain only a single type, expected: %s but found %s instead.",
                        em_type_str(e, elem), em_type_str(e, vals[i]->type));
    ir_value *l = em_list(e, elem, vals, nv);
    if (!nv && !hint) l->node->empty_list_literal = true;
    /* a literal typed by a Union/Optional annotation is cast to it */
    if (annotated_union) l = em_unchecked_cast(e, l, annotated_union);
    return l;
}

static ir_value *emit_dict_literal(emitter *e, const ast *n, cts_type *hint) {
    int nk = n->nlist;
    ir_value **keys = em_alloc(e, (size_t)(nk + 1) * sizeof *keys), **vals = em_alloc(e, (size_t)(nk + 1) * sizeof *vals);
    for (int i = 0; i < nk; i++) {
        keys[i] = em_expr(e, n->list[i], NULL);
        vals[i] = em_expr(e, n->list2[i], NULL);
    }
    cts_type *kt, *vt;
    cts_type *annotated_union = hint && (hint->kind == TY_UNION || hint->kind == TY_OPTIONAL) ? hint : NULL;
    if (annotated_union) {
        /* a union hint: use its dict member, if it has one */
        cts_type *dh = NULL;
        for (int i = 0; i < hint->n; i++)
            if (hint->elems[i]->kind == TY_DICT) dh = hint->elems[i];
        hint = dh;
        if (!dh) annotated_union = NULL;
    }
    if (hint && hint->kind == TY_DICT) {
        kt = hint->elems[0];
        vt = hint->elems[1];
    } else if (!nk) {
        kt = T_STR;
        vt = T_TENSOR;
    } else {
        kt = keys[0]->type;
        vt = vals[0]->type;
    }
    for (int i = 0; i < nk; i++) {
        if (!cts_type_subtype(keys[i]->type, kt))
            em_error_at(e, n->list[i], "Dict keys must contain only a single type, expected: %s but found %s instead.",
                        em_type_str(e, kt), em_type_str(e, keys[i]->type));
        if (!cts_type_subtype(vals[i]->type, vt))
            em_error_at(e, n->list2[i], "Dict values must contain only a single type, expected: %s but found %s instead.",
                        em_type_str(e, vt), em_type_str(e, vals[i]->type));
    }
    ir_node *d = em_insert(e, "prim::DictConstruct", 1, n->start, n->end);
    for (int i = 0; i < nk; i++) {
        ir_add_input(d, keys[i]);
        ir_add_input(d, vals[i]);
    }
    ir_set_type(d->outputs[0], em_hold(e, cts_type_dict(kt, vt)));
    if (annotated_union) return em_unchecked_cast(e, d->outputs[0], annotated_union);
    return d->outputs[0];
}

static ir_value *emit_comprehension(emitter *e, const ast *n, cts_type *hint, bool is_dict) {
    if (n->d) em_error_at(e, n, "Comprehension ifs are not supported yet");
    ir_value *acc;
    if (!is_dict) {
        ir_node *l = em_insert(e, "prim::ListConstruct", 1, n->start, n->end);
        ir_set_type(l->outputs[0], em_hold(e, cts_type_list(T_TENSOR)));
        if (hint) {
            if (hint->kind != TY_LIST)
                em_error_at(e, n, "Expected list type annotation for list comprehension, found %s", em_type_str(e, hint));
            ir_set_type(l->outputs[0], hint);
        }
        acc = l->outputs[0];
    } else {
        ir_node *d = em_insert(e, "prim::DictConstruct", 1, n->start, n->end);
        ir_set_type(d->outputs[0], em_hold(e, cts_type_dict(T_STR, T_TENSOR)));
        if (hint) {
            if (hint->kind != TY_DICT)
                em_error_at(e, n, "Expected Dict type annotation for dict comprehension, found %s", em_type_str(e, hint));
            ir_set_type(d->outputs[0], hint);
        }
        acc = d->outputs[0];
    }
    ir_node *scope = em_insert(e, "prim::ComprehensionScope", 0, n->start, n->end);
    ir_block *b = ir_add_block(scope);
    push_frame(e, b);
    ir_node *saved = e->g->insert_before;
    ir_set_insert_end(e->g, b);
    loop_body lb = {NULL, 0, n, acc, is_dict ? 2 : 1, hint != NULL};
    /* the element type comes from the first element when no hint was given */
    ast *targets[1] = {n->b};
    ast **tl = targets;
    int nt = 1;
    if (n->b->kind == A_TUPLE) {
        tl = n->b->list;
        nt = n->b->nlist;
    }
    if (!hint) {
        /* PyTorch sets the type on the first emitted element: emulate by a
         * pre-pass flag read in emit_loop_body through the accumulator's type */
    }
    emit_for_common(e, tl, nt, n->c, n->start, n->end, &lb);
    e->g->insert_before = saved;
    pop_frame(e);
    return acc;
}

static ir_value *emit_simple_expr(emitter *e, const ast *n, cts_type *hint) {
    switch (n->kind) {
    case A_INT: return em_int_const(e, n->ival, n->start, n->end);
    case A_FLOAT: return em_float_const(e, n->fval, n->start, n->end);
    case A_IMAG: { /* emitConst: a complex constant 0+fval*j, materialized like floats */
        cv_value z;
        if (cv_complex_new(0.0, n->fval, &z, e->err)) em_fail(e);
        uint64_t bits;
        memcpy(&bits, &n->fval, 8);
        char key[64];
        snprintf(key, sizeof key, "j%llx", (unsigned long long)bits);
        ir_value *v = materialize(e, &e->float_consts, key, z, n->start, n->end);
        cv_release(z);
        return v;
    }
    case A_STR: {
        cv_value s;
        if (cv_str_new(n->str, n->slen, &s, e->err)) em_fail(e);
        ir_value *v = em_const(e, s, n->start, n->end);
        cv_release(s);
        return v;
    }
    case A_TRUE: return em_const(e, cv_bool(true), n->start, n->end);
    case A_FALSE: return em_const(e, cv_bool(false), n->start, n->end);
    case A_NONE: return em_const(e, cv_none(), n->start, n->end);
    case A_BINOP:
        if (n->op == T_PERCENT) {
            /* 1.13's emitSimpleExpr emits the left operand once to look at
             * its type, then emits both operands again (the first copy is
             * dead code; its loads count in value naming) */
            ir_value *l = sv_as_value(e, em_sugared_expr(e, n->a, 0, NULL), n->a->start, n->a->end);
            if (l->type->kind == TY_STR) {
                l = em_expr(e, n->a, NULL);
                ir_value *r = em_expr(e, n->b, NULL);
                ir_node *f = em_insert(e, "aten::percentFormat", 1, n->start, n->end);
                ir_add_input(f, l);
                ir_add_input(f, r);
                ir_set_type(f->outputs[0], T_STR);
                em_resolve_schema(e, f);
                return f->outputs[0];
            }
        }
        return emit_binary(e, n->op, n->a, n->b, n->start, n->end);
    case A_CMP: return emit_compare(e, n);
    case A_BOOLOP: return emit_cond_expr(e, n).value;
    case A_UNOP: return emit_unary(e, n);
    case A_IFEXP: {
        cond_value c = emit_cond_expr(e, n->a);
        if (c.static_if >= 0) return em_expr(e, c.static_if ? n->b : n->c, hint);
        return emit_if_expr(e, n->start, n->end, &c, n->b, n->c, hint, 0, NULL, NULL);
    }
    case A_LIST: return emit_list_literal(e, n, hint);
    case A_TUPLE: {
        ir_value **vals;
        int nv = gather_values(e, n->list, n->nlist, &vals);
        return em_tuple(e, vals, nv, NULL);
    }
    case A_DICT: return emit_dict_literal(e, n, hint);
    case A_LISTCOMP: return emit_comprehension(e, n, hint, false);
    case A_DICTCOMP: return emit_comprehension(e, n, hint, true);
    case A_STARRED: em_error_at(e, n, "Unexpected starred expansion. File a bug report");
    case A_LAMBDA: em_error_at(e, n, "lambda expressions are not supported in TorchScript");
    case A_ELLIPSIS: em_error_at(e, n, "Ellipses can only be used to index a tensor");
    case A_SLICE: em_error_at(e, n, "slice expressions can only be used inside subscripts");
    default: em_error_at(e, n, "Cannot emit expr");
    }
}

ir_value *em_expr(emitter *e, const ast *n, cts_type *hint) {
    ir_value *v = sv_as_value(e, em_sugared_expr(e, n, 1, hint), n->start, n->end);
    if (hint && hint->kind == TY_ANY && v->type->kind != TY_ANY) v = em_unchecked_cast(e, v, hint);
    return v;
}

/* ---- subscripts ---- */

static ir_value *emit_slice_op(emitter *e, uint32_t start, uint32_t end, ir_value *sliceable, ir_value *dim,
                               ir_value *s, ir_value *t, ir_value *step) {
    nval args[4] = {{0}, {0}, {0}, {0}};
    int na = 0;
    args[na].name = "self";
    args[na++].value = sliceable;
    if (dim) args[na++].value = dim;
    if (sliceable->type->kind == TY_TUPLE) {
        /* emitTupleSlice: constant indices (getSliceInd), negative ones
         * adjusted once by the tuple's length (getAdjTupleIndex), None as
         * INT64_MAX, then slice_indices_adjust; createTupleSlice reads each
         * element with prim::TupleIndex and builds a new tuple */
        int64_t n = sliceable->type->n, idx[3] = {INT64_MAX, INT64_MAX, 1};
        ir_value *vs[3] = {s, t, step};
        for (int i = 0; i < 3; i++) {
            if (!vs[i]) continue;
            if (vs[i]->node->k != K_CONSTANT || vs[i]->node->value.tag != CV_INT)
                em_error(e, start, end, i == 2 ? "Step size should always be an integer"
                                               : "tuple slice indices must be integer constants");
            idx[i] = vs[i]->node->value.u.i;
            if (i < 2 && idx[i] < 0) idx[i] += n;
        }
        int64_t b = idx[0], en = idx[1], st = idx[2];
        if (st == 0) em_error(e, start, end, "List slice should have non-zero step");
        if (st < -INT64_MAX) em_error(e, start, end, "List slice step is out of bounds");
        int64_t cnt = cv_slice_adjust(n, &b, &en, st);
        ir_value **vals = em_alloc(e, (size_t)(cnt + 1) * sizeof *vals);
        for (int64_t j = 0, i = b; j < cnt; j++, i += st) {
            ir_value *iv = em_const(e, cv_int(i), start, end); /* insertConstant at the insertion point */
            ir_node *ti = em_insert(e, "prim::TupleIndex", 1, start, end);
            ir_add_input(ti, sliceable);
            ir_add_input(ti, iv);
            ir_set_type(ti->outputs[0], sliceable->type->elems[i]);
            vals[j] = ti->outputs[0];
        }
        return em_tuple(e, vals, (int)cnt, NULL);
    }
    /* a missing start is None for tensors, lists and strings alike (their
     * schemas take int? start; 0 would be wrong for a negative step) */
    /* emitSliceOp inserts the default step before the schema matching
     * fills in the missing start/end (None) */
    if (!step) step = em_const(e, cv_int(1), start, end);
    if (!s) s = em_const(e, cv_none(), start, end);
    args[na].name = "start";
    args[na++].value = s;
    if (t) {
        args[na].name = "end";
        args[na++].value = t;
    }
    nval kw = {0};
    kw.name = "step";
    kw.value = step;
    return em_builtin_call(e, "aten::slice", args, na, &kw, 1, NULL, start, end);
}

/* PyTorch's emitIntAndSliceIndexing: first every index expression is
 * emitted (left to right up to an ellipsis, then right to left after it)
 * and its dimension computed; then selects, slices and unsqueezes are
 * applied in order, each with its dimension as a fresh constant. */
static ir_value *emit_tensor_indexing(emitter *e, const ast *n, ir_value *t) {
    ir_value **tensor_indices;
    int k;
    t = emit_int_and_slice_indexing(e, n, t, &tensor_indices, &k);
    if (!k) return t;
    ir_value *lst = em_list(e, em_hold(e, cts_type_optional(T_TENSOR)), tensor_indices, k);
    nval a[2] = {{0}, {0}};
    a[0].value = t;
    a[1].value = lst;
    return em_builtin_call(e, "aten::index", a, 2, NULL, 0, NULL, n->start, n->end);
}

/* the int/slice/None part; tensor indices are returned (None-padded to the
 * last one) for aten::index / aten::index_put_ */
static ir_value *emit_int_and_slice_indexing(emitter *e, const ast *n, ir_value *t, ir_value ***tidx_out,
                                             int *ntidx_out) {
    int k = n->nlist;
    int64_t *dims = em_alloc(e, (size_t)(k + 1) * sizeof *dims);
    ir_value **exprs = em_alloc(e, (size_t)(k + 1) * sizeof *exprs);
    int idx = 0;
    int64_t dim = 0;
    for (; idx < k; idx++) {
        const ast *x = n->list[idx];
        if (x->kind == A_ELLIPSIS) break;
        dims[idx] = dim;
        if (x->kind == A_SLICE) {
            dim++;
            continue;
        }
        /* handle_indexing in 1.13 emits the index once as a sugared value
         * (to look for a slice object) and then again as a value */
        (void)em_sugared_expr(e, x, 1, NULL);
        ir_value *v = em_expr(e, x, x->kind == A_NONE ? T_NONE : NULL);
        if (v->type->kind == TY_LIST) {
            nval a = {0}, kw = {0};
            a.value = v;
            kw.name = "dtype";
            kw.value = em_const(e, cv_int(CT_INT64), x->start, x->end);
            v = em_builtin_call(e, "aten::tensor", &a, 1, &kw, 1, NULL, x->start, x->end);
        }
        exprs[idx] = v;
        if (v->type->kind == TY_NONE) dim++;
        else if (v->type->kind == TY_INT) {
        } else if (cts_type_subtype(v->type, T_TENSOR) || v->type->kind == TY_OPTIONAL) dim++;
        else
            em_error_at(e, x,
                        "Unsupported operation: indexing tensor with unsupported index type '%s'. Only ints, slices, "
                        "lists and tensors are supported",
                        em_type_str(e, v->type));
    }
    int64_t rdim = -1;
    for (int r = k - 1; r > idx; r--) {
        const ast *x = n->list[r];
        if (x->kind == A_ELLIPSIS) em_error_at(e, x, "An index can only have a single ellipsis ('...')");
        dims[r] = rdim;
        if (x->kind == A_SLICE) {
            rdim--;
            continue;
        }
        (void)em_sugared_expr(e, x, 1, NULL);
        ir_value *v = em_expr(e, x, x->kind == A_NONE ? T_NONE : NULL);
        exprs[r] = v;
        if (v->type->kind == TY_NONE) {
        } else if (v->type->kind == TY_INT) rdim--;
        else em_error_at(e, x, "Ellipses followed by tensor indexing is currently not supported");
    }
    ir_value **tensor_indices = em_alloc(e, (size_t)(k + 1) * sizeof *tensor_indices);
    bool any_tensor = false;
    for (int i = 0; i < k; i++) {
        const ast *x = n->list[i];
        if (x->kind == A_ELLIPSIS) continue;
        if (!exprs[i]) { /* a slice */
            ir_value *d = em_const(e, cv_int(dims[i]), n->start, n->end);
            ir_value *st = x->a ? em_expr(e, x->a, NULL) : NULL;
            ir_value *en = x->b ? em_expr(e, x->b, NULL) : NULL;
            ir_value *sp = x->c ? em_expr(e, x->c, NULL) : NULL;
            t = emit_slice_op(e, n->start, n->end, t, d, st, en, sp);
            continue;
        }
        ir_value *v = exprs[i];
        if (v->type->kind == TY_NONE) {
            ir_value *d = em_const(e, cv_int(dims[i]), n->start, n->end);
            nval a[2] = {{0}, {0}};
            a[0].value = t;
            a[1].value = d;
            t = em_builtin_call(e, "aten::unsqueeze", a, 2, NULL, 0, NULL, n->start, n->end);
        } else if (v->type->kind == TY_INT) {
            ir_value *d = em_const(e, cv_int(dims[i]), n->start, n->end);
            nval a[3] = {{0}, {0}, {0}};
            a[0].value = t;
            a[1].value = d;
            a[2].value = v;
            t = em_builtin_call(e, "aten::select", a, 3, NULL, 0, NULL, n->start, n->end);
        } else {
            tensor_indices[i] = v;
            any_tensor = true;
        }
    }
    *ntidx_out = 0;
    *tidx_out = NULL;
    if (!any_tensor) return t;
    int last = 0;
    for (int i = 0; i < k; i++)
        if (tensor_indices[i]) last = i + 1;
    ir_value **items = em_alloc(e, (size_t)(last + 1) * sizeof *items);
    for (int i = 0; i < last; i++) items[i] = tensor_indices[i] ? tensor_indices[i] : em_const(e, cv_none(), n->start, n->end);
    *tidx_out = items;
    *ntidx_out = last;
    return t;
}

static sv *emit_subscript(emitter *e, const ast *n, cts_type *hint) {
    sv *s = em_sugared_expr(e, n->a, 1, NULL);
    if (n->nlist != 1) return sv_simple(e, emit_tensor_indexing(e, n, sv_as_value(e, s, n->a->start, n->a->end)));
    const ast *x = n->list[0];
    if (x->kind == A_SLICE) {
        ir_value *v = sv_as_value(e, s, n->a->start, n->a->end);
        if (v->type->kind == TY_TENSOR) return sv_simple(e, emit_tensor_indexing(e, n, v));
        ir_value *st = x->a ? em_expr(e, x->a, NULL) : NULL;
        ir_value *en = x->b ? em_expr(e, x->b, NULL) : NULL;
        ir_value *sp = x->c ? em_expr(e, x->c, NULL) : NULL;
        return sv_simple(e, emit_slice_op(e, n->start, n->end, v, NULL, st, en, sp));
    }
    if (s->kind == SV_SIMPLE && s->value->type->kind == TY_TENSOR) {
        return sv_simple(e, emit_tensor_indexing(e, n, s->value));
    }
    if (s->kind == SV_SIMPLE || s->kind == SV_TUPLE_SV) {
        ir_value *idx = em_expr(e, x, NULL);
        (void)hint;
        return sv_getitem(e, s, idx, n->start, n->end);
    }
    /* a type subscript in expression position (e.g. List[int] passed to annotate) is handled by callers */
    ir_value *idx = em_expr(e, x, NULL);
    return sv_getitem(e, s, idx, n->start, n->end);
}

sv *em_sugared_expr(emitter *e, const ast *n, int n_binders, cts_type *hint) {
    switch (n->kind) {
    case A_NAME: return get_sugared_var(e, n->str, n->start, n->end, true);
    case A_ATTR: {
        sv *s = em_sugared_expr(e, n->a, 1, NULL);
        return sv_attr(e, s, n->str, n->start, n->end);
    }
    case A_CALL: return emit_apply(e, n, n_binders, hint);
    case A_SUBSCRIPT: return emit_subscript(e, n, hint);
    default: return sv_simple(e, emit_simple_expr(e, n, hint));
    }
}

/* ---- calls ---- */

static nval *emit_args(emitter *e, ast **items, int n, int *nout) {
    ir_value **vals;
    int k = gather_values(e, items, n, &vals);
    nval *out = em_alloc(e, (size_t)(k + 1) * sizeof *out);
    /* positions for messages: one per original item where possible */
    for (int i = 0; i < k; i++) {
        out[i].value = vals[i];
        const ast *src = i < n ? items[i] : items[n - 1];
        out[i].start = src->start;
        out[i].end = src->end;
    }
    *nout = k;
    return out;
}

static sv *emit_special_form(emitter *e, const char *form, const ast *n, cts_type *hint);

static sv *emit_tensor_cast(emitter *e, sv *callee, const ast *n) {
    if (n->nlist || n->nlist2) em_error_at(e, n, "tensor casts take no arguments");
    ir_value *dt = em_const(e, cv_int(callee->static_len), n->start, n->end);
    nval kw[2] = {{0}, {0}};
    kw[0].name = "self";
    kw[0].value = callee->value;
    kw[1].name = "dtype";
    kw[1].value = dt;
    return sv_simple(e, em_builtin_call(e, "aten::to", NULL, 0, kw, 2, NULL, n->start, n->end));
}

static sv *emit_special_form(emitter *e, const char *form, const ast *n, cts_type *hint) {
    if (strncmp(form, "cts::ntuple", 11) == 0) {
        /* torch.nn.modules.utils._single/_pair/_triple/_quadruple (PyTorch's aten::_pair
           builtins): an int becomes a list of n copies, a list stays as it is */
        int copies = form[11] - '0';
        if (n->nlist != 1 || n->nlist2) em_error_at(e, n, "expected exactly 1 argument");
        ir_value *v = em_expr(e, n->list[0], NULL);
        if (v->type->kind == TY_LIST) return sv_simple(e, v);
        if (v->type->kind != TY_INT && v->type->kind != TY_FLOAT && v->type->kind != TY_BOOL)
            em_error_at(e, n, "expected an int, float or list, found %s", em_type_str(e, v->type));
        ir_node *l = em_insert(e, "prim::ListConstruct", 1, n->start, n->end);
        for (int i = 0; i < copies; i++) ir_add_input(l, v);
        ir_set_type(l->outputs[0], em_hold(e, cts_type_list(v->type)));
        return sv_simple(e, l->outputs[0]);
    }
    if (strcmp(form, "prim::annotate") == 0) {
        if (n->nlist != 2) em_error_at(e, n, "annotate expected exactly 2 arguments but found %d", n->nlist);
        cts_type *t = em_parse_type(e, n->list[0]);
        ir_value *v = em_convert(e, t, em_expr(e, n->list[1], t), true, n->start, n->end);
        if (!cts_type_subtype(v->type, t))
            em_error_at(e, n, "expected an expression of type %s but found %s", em_type_str(e, t), em_type_str(e, v->type));
        if (t->kind == TY_OPTIONAL && v->type->kind == TY_NONE) {
            ir_node *none = em_insert(e, "prim::Constant", 1, n->start, n->end);
            ir_set_type(none->outputs[0], t);
            v = none->outputs[0];
        }
        return sv_simple(e, v);
    }
    if (strcmp(form, "prim::unchecked_cast") == 0) {
        if (n->nlist != 2) em_error_at(e, n, "unchecked_cast expected exactly 2 arguments but found %d", n->nlist);
        cts_type *t = em_parse_type(e, n->list[0]);
        ir_value *v = em_expr(e, n->list[1], NULL);
        if (v->node->k != K_UNCHECKEDCAST || !cts_type_equal(v->type, t)) v = em_unchecked_cast(e, v, t);
        return sv_simple(e, v);
    }
    if (strcmp(form, "prim::GetAttr") == 0) {
        if (n->nlist != 2) em_error_at(e, n, "getattr expected exactly 2 arguments but found %d", n->nlist);
        sv *obj = em_sugared_expr(e, n->list[0], 1, NULL);
        if (n->list[1]->kind != A_STR) em_error_at(e, n, "getattr's second argument must be a string literal");
        return sv_attr(e, obj, n->list[1]->str, n->start, n->end);
    }
    if (strcmp(form, "prim::Uninitialized") == 0) {
        if (n->nlist != 1) em_error_at(e, n, "uninitialized expected exactly 1 arguments but found %d", n->nlist);
        cts_type *t = em_parse_type(e, n->list[0]);
        ir_node *u = em_insert(e, "prim::Uninitialized", 1, n->start, n->end);
        ir_set_type(u->outputs[0], t);
        return sv_simple(e, u->outputs[0]);
    }
    if (strcmp(form, "prim::TupleConstruct") == 0) {
        if (n->nlist != 1) em_error_at(e, n, "tuple expected exactly 1 arguments but found %d", n->nlist);
        sv *arg = em_sugared_expr(e, n->list[0], 1, NULL);
        sv *parts[128];
        int np = sv_as_tuple(e, arg, parts, 128, -1, n->start, n->end);
        ir_value *vals[128];
        for (int i = 0; i < np; i++) vals[i] = sv_as_value(e, parts[i], n->start, n->end);
        return sv_simple(e, em_tuple(e, vals, np, NULL));
    }
    if (strcmp(form, "prim::isinstance") == 0) {
        if (n->nlist != 2) em_error_at(e, n, "isinstance expected exactly 2 arguments but found %d", n->nlist);
        return sv_simple(e, emit_isinstance(e, n->list[0], n->list[1]).value);
    }
    if (strcmp(form, "prim::HasAttr") == 0) {
        if (n->nlist != 2) em_error_at(e, n, "hasattr expected exactly 2 arguments but found %d", n->nlist);
        sv *obj = em_sugared_expr(e, n->list[0], 1, NULL);
        if (n->list[1]->kind != A_STR) em_error_at(e, n, "hasattr's second argument must be a string literal");
        bool has = false;
        /* SimpleValue::hasAttr: only objects have attributes to ask about */
        if (obj->kind == SV_SIMPLE && obj->value->type->kind != TY_CLASS)
            em_error_at(e, n->list[0], "hasattr's first argument must be an object, got %s instead",
                        em_type_str(e, obj->value->type));
        if (obj->kind == SV_SIMPLE && obj->value->type->kind == TY_CLASS) {
            cts_class *c = obj->value->type->cls;
            has = cts_class_find_attr(c, n->list[1]->str) >= 0 || cts_class_find_const(c, n->list[1]->str) >= 0 ||
                  cts_cu_get_method(e->cu, obj->value->type, n->list[1]->str, e->err) != NULL;
        }
        return sv_simple(e, em_const(e, cv_bool(has), n->start, n->end));
    }
    if (strcmp(form, "prim::range") == 0) {
        ir_value **vals;
        int nv = gather_values(e, n->list, n->nlist, &vals);
        if (n->nlist2) em_error_at(e, n, "range does not take keyword arguments");
        if (nv < 1 || nv > 3) em_error_at(e, n, "range expected at least 1 and at most 3 arguments, got %d", nv);
        sv *r = sv_new(e, SV_RANGE);
        for (int i = 0; i < nv; i++) {
            if (vals[i]->type->kind != TY_INT)
                em_error_at(e, n, "all inputs of range must be ints, found %s in argument %d", em_type_str(e, vals[i]->type), i);
        }
        /* RangeValue's constructor: the default start 0 and step 1 are
         * constants at the insertion point (nrange 1: only the end counts) */
        if (nv == 1) {
            r->range[0] = em_const(e, cv_int(0), n->start, n->end);
            r->range[1] = vals[0];
            r->range[2] = em_const(e, cv_int(1), n->start, n->end);
        } else {
            r->range[0] = vals[0];
            r->range[1] = vals[1];
            r->range[2] = nv == 3 ? vals[2] : em_const(e, cv_int(1), n->start, n->end);
        }
        r->nrange = nv;
        if (nv == 1 && vals[0]->node->k == K_CONSTANT && vals[0]->node->has_value) {
            r->has_static_len = true;
            r->static_len = vals[0]->node->value.u.i;
        }
        return r;
    }
    if (strcmp(form, "prim::enumerate") == 0 || strcmp(form, "prim::zip") == 0) {
        bool en = form[6] == 'e';
        sv *tree = sv_new(e, SV_ITER_TREE);
        tree->children = em_alloc(e, (size_t)(n->nlist + 2) * sizeof *tree->children);
        if (en) {
            if (n->nlist < 1) em_error_at(e, n, "enumerate expected at least 1 arguments, got 0");
            if (n->nlist > 2) em_error_at(e, n, "enumerate expected at most 2 arguments, got %d", n->nlist);
            ir_value *startv = n->nlist == 2 ? em_expr(e, n->list[1], NULL) : NULL;
            ir_value *endv = em_int_const(e, INT64_MAX, n->start, n->end);
            sv *it = sv_iter(e, em_sugared_expr(e, n->list[0], 1, NULL), n->start, n->end);
            sv *r = sv_new(e, SV_RANGE);
            /* RangeValue(start?, end): its default start and step are
             * constants at the insertion point */
            if (startv) {
                r->range[0] = startv;
                r->range[1] = endv;
                r->nrange = 2;
            } else {
                r->range[0] = em_const(e, cv_int(0), n->start, n->end);
                r->range[1] = endv;
                r->nrange = 1;
            }
            r->range[2] = em_const(e, cv_int(1), n->start, n->end);
            r->has_static_len = it->has_static_len;
            r->static_len = it->static_len;
            tree->children[tree->nchildren++] = r;
            tree->children[tree->nchildren++] = it;
        } else {
            if (n->nlist == 0) em_error_at(e, n, "zip expected at least 1 arguments, got 0");
            for (int i = 0; i < n->nlist; i++)
                tree->children[tree->nchildren++] = sv_iter(e, em_sugared_expr(e, n->list[i], 1, NULL), n->start, n->end);
        }
        return tree;
    }
    if (strcmp(form, "prim::list") == 0) {
        if (n->nlist == 0) {
            cts_type *t = hint ? hint : em_hold(e, cts_type_list(T_TENSOR));
            if (t->kind != TY_LIST) em_error_at(e, n, "Expected list type annotation for list(), found %s", em_type_str(e, hint));
            return sv_simple(e, em_list(e, t->elems[0], NULL, 0));
        }
        if (n->nlist != 1) em_error_at(e, n, "list expected exactly 1 arguments but found %d", n->nlist);
        sv *in = em_sugared_expr(e, n->list[0], 1, NULL);
        if (in->kind == SV_SIMPLE && (in->value->type->kind == TY_LIST || in->value->type->kind == TY_STR)) {
            nval a = {0};
            a.value = in->value;
            return sv_simple(e, em_builtin_call(e, "aten::list", &a, 1, NULL, 0, NULL, n->start, n->end));
        }
        /* list(iter) is [_elem for _elem in iter] over temporaries, as PyTorch does */
        char iter_name[32], elem_name[32];
        snprintf(iter_name, sizeof iter_name, "$_iter%d", e->temp_count++);
        snprintf(elem_name, sizeof elem_name, "$_elem%d", e->temp_count++);
        set_sugared_var(e, em_strdup(e, iter_name), in, NULL, n->start, n->end);
        ast *ident = em_alloc(e, sizeof *ident), *iter = em_alloc(e, sizeof *iter), *lc = em_alloc(e, sizeof *lc);
        ident->kind = iter->kind = A_NAME;
        ident->str = em_strdup(e, elem_name);
        iter->str = em_strdup(e, iter_name);
        ident->start = iter->start = lc->start = n->start;
        ident->end = iter->end = lc->end = n->end;
        lc->kind = A_LISTCOMP;
        lc->a = ident;
        lc->b = ident;
        lc->c = iter;
        return sv_simple(e, emit_comprehension(e, lc, hint, false));
    }
    if (strcmp(form, "prim::dict") == 0) {
        if (n->nlist == 0 && n->nlist2 == 0) {
            cts_type *t = hint ? hint : em_hold(e, cts_type_dict(T_STR, T_TENSOR));
            ir_node *d = em_insert(e, "prim::DictConstruct", 1, n->start, n->end);
            ir_set_type(d->outputs[0], t);
            return sv_simple(e, d->outputs[0]);
        }
        if (n->nlist == 1 && n->nlist2 == 0) {
            sv *in = em_sugared_expr(e, n->list[0], 1, NULL);
            if (in->kind == SV_SIMPLE && in->value->type->kind == TY_DICT) {
                nval a = {0};
                a.value = in->value;
                return sv_simple(e, em_builtin_call(e, "aten::dict", &a, 1, NULL, 0, NULL, n->start, n->end));
            }
        }
        em_error_at(e, n, "this form of dict() is not supported by cts yet");
    }
    if (strcmp(form, "prim::CreateObject") == 0) {
        if (n->nlist != 1) em_error_at(e, n, "Only one argument to __new__ allowed");
        sv *c = em_sugared_expr(e, n->list[0], 1, NULL);
        if (c->kind != SV_CLASS) em_error_at(e, n, "Expected class value as argument to __new__");
        ir_node *o = em_insert(e, "prim::CreateObject", 1, n->start, n->end);
        ir_set_type(o->outputs[0], c->type);
        return sv_simple(e, o->outputs[0]);
    }
    if (strcmp(form, "prim::fork") == 0) em_error_at(e, n, "fork is not supported by cts yet");
    if (strcmp(form, "prim::tolist") == 0) {
        /* emitApplySpecialForm re-emits the tensor of `x.tolist()`, then
         * Graph::insertToList: the list depth and the base element type
         * (0 int, 1 float, 2 bool, 3 complex) become constant arguments */
        if (n->a->kind != A_ATTR) em_error_at(e, n, "tolist() must be called as a method of a Tensor");
        ir_value *t = sv_as_value(e, em_sugared_expr(e, n->a->a, 1, NULL), n->a->a->start, n->a->a->end);
        if (!hint) em_error_at(e, n, "Expected type hint for result of tolist()");
        int dim = 0;
        cts_type *b = hint;
        while (b->kind == TY_LIST) {
            b = b->elems[0];
            dim++;
        }
        int ety = b->kind == TY_INT ? 0 : b->kind == TY_FLOAT ? 1 : b->kind == TY_BOOL ? 2 : b->kind == TY_COMPLEX ? 3 : -1;
        if (ety < 0)
            em_error_at(e, n, "%s is not one of the supported element types for tolist: int, float, complex, bool",
                        em_type_str(e, b));
        ir_value *dv = em_const(e, cv_int(dim), n->start, n->end), *ev = em_const(e, cv_int(ety), n->start, n->end);
        ir_node *tl = em_insert(e, "prim::tolist", 1, n->start, n->end);
        int idx[2];
        if (cts_schema_find("prim::tolist", idx, 2) < 1) em_error_at(e, n, "internal error: no prim::tolist schema");
        tl->schema = cts_cu_schema(e->cu, cts_schema_text(idx[0]), e->err);
        if (!tl->schema) em_fail(e);
        ir_add_input(tl, t);
        ir_add_input(tl, dv);
        ir_add_input(tl, ev);
        ir_set_type(tl->outputs[0], hint);
        return sv_simple(e, tl->outputs[0]);
    }
    em_error_at(e, n, "unknown special form %s", form);
}

static sv *emit_apply(emitter *e, const ast *n, int n_binders, cts_type *hint) {
    sv *callee = em_sugared_expr(e, n->a, 1, NULL);
    if (callee->kind == SV_SPECIAL && strcmp(callee->name, "tensor_cast") == 0) return emit_tensor_cast(e, callee, n);
    if (callee->kind == SV_SPECIAL && strncmp(callee->name, "cts::mdict_", 11) == 0) {
        if (n->nlist || n->nlist2) em_error_at(e, n, "ModuleDict.%s() takes no arguments", callee->name + 11);
        return sv_module_dict_view(e, callee, n->start, n->end);
    }
    if (callee->kind == SV_SPECIAL) return emit_special_form(e, callee->name, n, hint);
    int na;
    nval *args = emit_args(e, n->list, n->nlist, &na);
    nval *kw = em_alloc(e, (size_t)(n->nlist2 + 1) * sizeof *kw);
    for (int i = 0; i < n->nlist2; i++) {
        if (strcmp(n->names[i], "**") == 0)
            em_error(e, n->list2[i]->start, n->list2[i]->end, "keyword-arg expansion is not supported");
        kw[i].name = n->names[i];
        kw[i].value = em_expr(e, n->list2[i], NULL);
        kw[i].start = n->list2[i]->start;
        kw[i].end = n->list2[i]->end;
    }
    return sv_call(e, callee, args, na, kw, n->nlist2, n_binders, n->a->start, n->a->end);
}

/* ---- functions ---- */

/* An empty list literal without a type hint is PyTorch's
 * prim::EmptyListLiteral, replaced after emission by a fresh ListConstruct:
 * the variable's debug name does not survive, and the value is numbered
 * after every other. */
static void unname_empty_list_literals(ir_graph *g, ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        if (n->k == K_LISTCONSTRUCT && n->empty_list_literal && n->ninputs == 0 && n->outputs[0]->name) {
            ir_set_name(n->outputs[0], NULL);
            n->outputs[0]->id = g->next_value_id++;
        }
        for (int i = 0; i < n->nblocks; i++) unname_empty_list_literals(g, n->blocks[i]);
    }
}

int cts_emit_function(cts_cu *cu, ir_function *fn, cts_err *err) {
    emitter em;
    memset(&em, 0, sizeof em);
    emitter *e = &em;
    cts_arena arena;
    cts_arena_init(&arena);
    e->cu = cu;
    e->fn = fn;
    e->err = err;
    e->src = fn->src;
    e->arena = &arena;
    cts_map_init(&e->int_consts);
    cts_map_init(&e->float_consts);
    cts_map_init(&e->exit_blocks);
    e->g = ir_graph_new();
    if (!e->g) {
        cts_arena_free(&arena);
        return cts_err_oom(err, "graph", 0);
    }
    e->g->oom_jmp = &e->fail;
    if (setjmp(e->fail)) {
        free_frames(e);
        ir_graph_free(e->g);
        cts_map_free(&e->int_consts);
        cts_map_free(&e->float_consts);
        cts_map_free(&e->exit_blocks);
        cts_arena_free(&arena);
        if (!err->set) cts_err_set(err, "out of memory while compiling %s", fn->qualname);
        fn->state = FN_FAILED;
        return -1;
    }
    const ast *def = fn->def;
    const cts_schema *schema = fn->schema;
    push_frame(e, e->g->block);
    /* a declared return type only when annotated; otherwise inferred from the returns */
    if ((def->a || def->str2) && schema->nrets == 1) e->declared_ret = schema->rets[0].type;
    /* inputs */
    int pi = 0;
    if (fn->owner) {
        const ast *p = def->list[0];
        ir_value *self = ir_block_add_input(e->g->block, p->str);
        ir_set_type(self, fn->owner);
        e->self_type = fn->owner;
        set_sugared_var(e, p->str, sv_simple(e, self), NULL, p->start, p->end);
        pi = 1;
    }
    for (int i = pi; i < def->nlist; i++) {
        const ast *p = def->list[i];
        ir_value *in = ir_block_add_input(e->g->block, NULL);
        if (meaningful_name(p->str)) ir_set_name(in, p->str);
        ir_set_type(in, schema->args[i].type);
        set_var(e, p->str, in, p->start, p->end);
    }
    emit_statements(e, def->list2, def->nlist2);
    /* handleMaybeNoReturn */
    if (!is_exit_block(e, e->g->block)) {
        if (e->declared_ret && e->declared_ret->kind != TY_NONE)
            em_error_at(e, def, "Function was not annotated as having type None, but does not return along all paths");
        ir_set_insert_end(e->g, e->g->block);
        ast none = {0};
        none.kind = A_NONE;
        none.start = def->start;
        none.end = def->end;
        ast ret = {0};
        ret.kind = S_RETURN;
        ret.a = &none;
        ret.start = def->start;
        ret.end = def->end;
        emit_return(e, &ret);
    } else if (!e->merged_ret) {
        e->merged_ret = e->declared_ret ? e->declared_ret : T_NONE;
    }
    /* placeholder output */
    ir_node *ph = ir_create(e->g, "prim::Uninitialized", 1);
    ir_set_type(ph->outputs[0], e->merged_ret);
    ir_insert(e->g, ph);
    ir_block_register_output(e->g->block, ph->outputs[0]);
    /* the schema's return type is the merged one */
    if (schema->nrets == 1 && !cts_type_equal(schema->rets[0].type, e->merged_ret)) {
        cts_type_retain(e->merged_ret);
        cts_type_release(fn->schema->rets[0].type);
        fn->schema->rets[0].type = e->merged_ret;
    }
    free_frames(e);
    const cts_schema *loop_schemas[4] = {
        cts_cu_schema(cu, "aten::gt.int(int a, int b) -> bool", err),
        cts_cu_schema(cu, "aten::__and__.bool(bool a, bool b) -> bool", err),
        cts_cu_schema(cu, "aten::add.int(int a, int b) -> int", err),
        cts_cu_schema(cu, "aten::lt.int(int a, int b) -> bool", err)};
    int ssa_rc = cts_pass_convert_to_ssa(e->g, err);
    if (!ssa_rc) unname_empty_list_literals(e->g, e->g->block);
    if (!ssa_rc && loop_schemas[0] && loop_schemas[1] && loop_schemas[2] && loop_schemas[3])
        cts_pass_canonicalize_modified_loops(e->g, loop_schemas);
    if (!ssa_rc) em_normalize_ops(e); /* NormalizeOps, before the cleanup passes */
    if (ssa_rc || cts_pass_cleanup(e->g, err)) {
        ir_graph_free(e->g);
        e->g = NULL;
        fn->state = FN_FAILED;
        cts_map_free(&e->int_consts);
        cts_map_free(&e->float_consts);
        cts_map_free(&e->exit_blocks);
        cts_arena_free(&arena);
        return -1;
    }
    e->g->oom_jmp = NULL;
    fn->graph = e->g;
    fn->state = FN_DONE;
    cts_map_free(&e->int_consts);
    cts_map_free(&e->float_consts);
    cts_map_free(&e->exit_blocks);
    cts_arena_free(&arena);
    return 0;
}
