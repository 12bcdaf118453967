/* match.c - overload resolution: matching a call against operator schemas.
 *
 * PyTorch's schema_matching.cpp rules, in its order: the candidates are all
 * schemas of the symbol in registry order; with more than one candidate,
 * every candidate is tried first without implicit conversions and then with
 * them, and the first that matches wins.  Matching fills positional
 * formals, then keywords (`input` also names `self` for aten ops), then
 * defaults (each default becomes a constant node where it is used); type
 * variables unify; single ints broadcast to `int[N]`; trailing positionals
 * pack into a list formal; conversions are Tensor -> int/float/number,
 * number -> int/float, str -> Device, tuple -> list.
 *
 * A failed candidate may leave nodes in the graph (as PyTorch's does); the
 * cleanup passes remove them. */
#include <stdio.h>
#include <string.h>

#include "../ops/schema_list.h"
#include "emit_internal.h"

/* ---- node helpers ---- */

ir_value *em_list(emitter *e, cts_type *elem, ir_value **vals, int n) {
    ir_node *l = ir_create(e->g, "prim::ListConstruct", 1);
    for (int i = 0; i < n; i++) ir_add_input(l, vals[i]);
    ir_set_type(l->outputs[0], em_hold(e, cts_type_list(elem)));
    ir_insert(e->g, l);
    return l->outputs[0];
}

ir_value *em_tuple(emitter *e, ir_value **vals, int n, cts_type *named) {
    ir_node *t = ir_create(e->g, "prim::TupleConstruct", 1);
    for (int i = 0; i < n; i++) ir_add_input(t, vals[i]);
    if (named) {
        ir_set_type(t->outputs[0], named);
    } else {
        cts_type *el[128];
        if (n > 128) em_error(e, 0, 0, "tuple too long");
        for (int i = 0; i < n; i++) el[i] = vals[i]->type;
        ir_set_type(t->outputs[0], em_hold(e, cts_type_tuple(n, el)));
    }
    ir_insert(e->g, t);
    return t->outputs[0];
}

ir_value *em_unchecked_cast(emitter *e, ir_value *v, cts_type *t) {
    ir_node *n = ir_create(e->g, "prim::unchecked_cast", 1);
    ir_add_input(n, v);
    ir_set_type(n->outputs[0], t);
    ir_insert(e->g, n);
    return n->outputs[0];
}

/* ---- type variables ---- */

typedef struct tenv {
    const char *names[16];
    cts_type *types[16];
    int n;
} tenv;

static cts_type *tenv_get(tenv *te, const char *name) {
    for (int i = 0; i < te->n; i++)
        if (strcmp(te->names[i], name) == 0) return te->types[i];
    return NULL;
}

static bool tenv_set(tenv *te, const char *name, cts_type *t) {
    for (int i = 0; i < te->n; i++)
        if (strcmp(te->names[i], name) == 0) {
            te->types[i] = t;
            return true;
        }
    if (te->n == 16) return false;
    te->names[te->n] = name;
    te->types[te->n++] = t;
    return true;
}

static bool match_type_vars(emitter *e, cts_type *formal, cts_type *actual, tenv *te) {
    switch (formal->kind) {
    case TY_VAR: {
        cts_type *b = tenv_get(te, formal->name);
        if (!b) return tenv_set(te, formal->name, actual);
        cts_type *u = em_unify(e, b, actual);
        if (!u) return false;
        return tenv_set(te, formal->name, u);
    }
    case TY_LIST:
        if (actual->kind == TY_LIST) return match_type_vars(e, formal->elems[0], actual->elems[0], te);
        if (actual->kind == TY_TUPLE && actual->n > 0 && formal->elems[0]->kind == TY_VAR) {
            /* a homogeneous tuple binds t[] to its unified element type */
            cts_type *u = actual->elems[0];
            for (int i = 1; i < actual->n && u; i++) u = em_unify(e, u, actual->elems[i]);
            return u && match_type_vars(e, formal->elems[0], u, te);
        }
        return formal->elems[0]->kind != TY_VAR && !(formal->elems[0]->n); /* no vars inside: fine */
    case TY_OPTIONAL:
        if (actual->kind == TY_OPTIONAL) return match_type_vars(e, formal->elems[0], actual->elems[0], te);
        if (actual->kind == TY_NONE) return true;
        return match_type_vars(e, formal->elems[0], actual, te);
    case TY_TUPLE:
        if (actual->kind != TY_TUPLE) return true;
        if (actual->n != formal->n) return false;
        for (int i = 0; i < formal->n; i++)
            if (!match_type_vars(e, formal->elems[i], actual->elems[i], te)) return false;
        return true;
    case TY_DICT:
        if (actual->kind != TY_DICT) return true;
        return match_type_vars(e, formal->elems[0], actual->elems[0], te) &&
               match_type_vars(e, formal->elems[1], actual->elems[1], te);
    case TY_FUTURE:
        if (actual->kind != TY_FUTURE) return true;
        return match_type_vars(e, formal->elems[0], actual->elems[0], te);
    default: return true;
    }
}

static bool has_vars(const cts_type *t) {
    if (t->kind == TY_VAR) return true;
    for (int i = 0; i < t->n; i++)
        if (has_vars(t->elems[i])) return true;
    return false;
}

/* substitutes type variables; NULL if one is unbound */
static cts_type *eval_type_vars(emitter *e, cts_type *t, tenv *te) {
    if (!has_vars(t)) return t;
    if (t->kind == TY_VAR) return tenv_get(te, t->name);
    cts_type *el[64];
    if (t->n > 64) return NULL;
    for (int i = 0; i < t->n; i++) {
        el[i] = eval_type_vars(e, t->elems[i], te);
        if (!el[i]) return NULL;
    }
    switch (t->kind) {
    case TY_LIST: return em_hold(e, cts_type_list(el[0]));
    case TY_OPTIONAL: return em_hold(e, cts_type_optional(el[0]));
    case TY_FUTURE: return em_hold(e, cts_type_future(el[0]));
    case TY_DICT: return em_hold(e, cts_type_dict(el[0], el[1]));
    case TY_TUPLE: return em_hold(e, cts_type_tuple(t->n, el));
    case TY_UNION: return em_hold(e, cts_type_union(t->n, el));
    default: return t;
    }
}

/* ---- conversions ---- */

static cts_type *unwrap_optional(cts_type *t) { return t->kind == TY_OPTIONAL ? t->elems[0] : t; }

static bool convertible_to_list(cts_type *t, cts_type *list) {
    if (list->kind != TY_LIST) return false;
    if (cts_type_subtype(t, list)) return true;
    if (t->kind == TY_TUPLE) {
        for (int i = 0; i < t->n; i++)
            if (!cts_type_subtype(t->elems[i], list->elems[0])) return false;
        return true;
    }
    return false;
}

static ir_value **tuple_unpack(emitter *e, ir_value *v) {
    if (v->node->k == K_TUPLECONSTRUCT) return v->node->inputs; /* createTupleUnpack's peephole */
    ir_node *u = ir_create(e->g, "prim::TupleUnpack", v->type->n);
    ir_add_input(u, v);
    for (int i = 0; i < v->type->n; i++) ir_set_type(u->outputs[i], v->type->elems[i]);
    ir_insert(e->g, u);
    return u->outputs;
}

ir_value *em_convert(emitter *e, cts_type *to, ir_value *v, bool allow_conv, uint32_t start, uint32_t end) {
    if (to->kind == TY_OPTIONAL && v->type->kind != TY_OPTIONAL && v->type->kind != TY_NONE)
        return em_convert(e, to->elems[0], v, allow_conv, start, end);
    /* an unannotated `[]` becomes a list of whatever element type is wanted */
    if (v->node->empty_list_literal && unwrap_optional(to)->kind == TY_LIST && !cts_type_subtype(v->type, to))
        v = em_list(e, unwrap_optional(to)->elems[0], NULL, 0);
    if (v->type->kind == TY_TUPLE) {
        cts_type *ul = unwrap_optional(to);
        if (convertible_to_list(v->type, ul)) {
            int n = v->type->n;
            ir_value **parts = tuple_unpack(e, v);
            v = em_list(e, ul->elems[0], parts, n);
        }
        if (to->kind == TY_TUPLE && v->type->kind == TY_TUPLE && !cts_type_subtype(v->type, to) &&
            to->n == v->type->n) {
            int n = to->n;
            ir_value **parts = tuple_unpack(e, v);
            ir_value **conv = em_alloc(e, (size_t)(n + 1) * sizeof *conv);
            for (int i = 0; i < n; i++) conv[i] = em_convert(e, to->elems[i], parts[i], allow_conv, start, end);
            v = em_tuple(e, conv, n, NULL);
        }
    }
    if (allow_conv) {
        bool is_tensor = v->type->kind == TY_TENSOR;
        bool is_number = v->type->kind == TY_NUMBER;
        const char *op = NULL;
        if (is_tensor) {
            if (to->kind == TY_FLOAT) op = "aten::FloatImplicit";
            else if (to->kind == TY_COMPLEX) op = "aten::ComplexImplicit";
            else if (to->kind == TY_INT) op = "aten::IntImplicit";
            else if (to->kind == TY_NUMBER) op = "aten::ScalarImplicit";
        } else if (is_number) {
            if (to->kind == TY_FLOAT) op = "aten::Float";
            else if (to->kind == TY_COMPLEX) op = "aten::Complex";
            else if (to->kind == TY_INT) op = "aten::Int";
        }
        if (op) {
            nval a = {0};
            a.value = v;
            v = em_builtin_call(e, op, &a, 1, NULL, 0, NULL, start, end);
        }
        if (v->type->kind == TY_STR && to->kind == TY_DEVICE) {
            nval a = {0};
            a.value = v;
            return em_builtin_call(e, "aten::device", &a, 1, NULL, 0, NULL, start, end);
        }
    }
    return v;
}

/* ---- one argument ---- */

static ir_value *try_match_arg(emitter *e, const cts_arg *arg, nval *nv, bool allow_conv, tenv *te, cts_strbuf *why,
                               const cts_schema *s) {
    ir_value *v = nval_value(e, nv);
    cts_type *at = unwrap_optional(arg->type);
    /* a single int/float for int[N] / float[N] */
    if ((v->type->kind == TY_INT || v->type->kind == TY_FLOAT) && arg->N && at->kind == TY_LIST &&
        at->elems[0]->kind == v->type->kind) {
        ir_value *rep[16];
        int n = arg->N < 16 ? arg->N : 16;
        for (int i = 0; i < n; i++) rep[i] = v;
        v = em_list(e, v->type, rep, n);
    }
    if (!match_type_vars(e, arg->type, v->type, te)) {
        if (why) {
            cts_sb_printf(why, "\n%s:\nCould not match type ", s->text ? s->text : s->name);
            cts_type_str_annot(v->type, why);
            cts_sb_puts(why, " to ");
            cts_type_str_annot(arg->type, why);
            cts_sb_printf(why, " in argument '%s'.\n", arg->name);
        }
        return NULL;
    }
    cts_type *concrete = eval_type_vars(e, arg->type, te);
    if (!concrete) {
        if (why) cts_sb_printf(why, "\nType variables in argument '%s' could not be inferred\n", arg->name);
        return NULL;
    }
    v = em_convert(e, concrete, v, allow_conv, nv->start, nv->end);
    if (!cts_type_subtype(v->type, concrete)) {
        if (why) {
            cts_sb_printf(why, "\n%s:\nExpected a value of type '", s->text ? s->text : s->name);
            cts_type_str_annot(concrete, why);
            cts_sb_printf(why, "' for argument '%s' but instead found type '", arg->name);
            cts_type_str_annot(v->type, why);
            cts_sb_puts(why, "'.\n");
        }
        return NULL;
    }
    return v;
}

static bool varargs_as_list(const cts_schema *s, int i, const cts_arg *arg) {
    bool last = i + 1 == s->nargs || s->args[i + 1].kwarg_only;
    cts_type *t = arg->type;
    bool is_list = t->kind == TY_LIST;
    bool typevar_list = is_list && t->elems[0]->kind == TY_VAR;
    return last && is_list && !arg->N && !typevar_list;
}

static const char *full_name(const cts_schema *s, char *buf, size_t n) {
    if (s->overload[0]) snprintf(buf, n, "%s.%s", s->name, s->overload);
    else snprintf(buf, n, "%s", s->name);
    return buf;
}

bool em_try_match(emitter *e, const cts_schema *s, nval *args, int nargs, nval *kwargs, int nkwargs, nval *self,
                  bool allow_conv, matched *m, cts_strbuf *why) {
    char fn[256];
    full_name(s, fn, sizeof fn);
    if (strcmp(fn, "aten::view.dtype") == 0) return false; /* blocklisted, as in PyTorch */
    tenv te = {0};
    m->ninputs = 0;
    bool used_kw[64] = {0};
    if (nkwargs > 64) return false;
    bool is_aten = strncmp(s->name, "aten::", 6) == 0;
    int used = 0;
    nval *pending_self = self;
    for (int i = 0; i < s->nargs; i++) {
        const cts_arg *arg = &s->args[i];
        nval *actual = NULL;
        nval dflt;
        if (strcmp(arg->name, "self") == 0 && pending_self) {
            actual = pending_self;
            pending_self = NULL;
        } else if (!arg->kwarg_only && used < nargs) {
            if (allow_conv && varargs_as_list(s, i, arg)) {
                ir_value *v0 = nval_value(e, &args[used]);
                if (v0->type->kind != TY_LIST && !convertible_to_list(v0->type, unwrap_optional(arg->type))) {
                    cts_type *elem = unwrap_optional(arg->type)->elems[0];
                    cts_arg ea = {0};
                    ea.name = "<varargs>";
                    ea.type = elem;
                    ir_value *items[128];
                    int k = 0;
                    for (int j = used; j < nargs; j++) {
                        if (k == 128) return false;
                        ir_value *x = try_match_arg(e, &ea, &args[j], allow_conv, &te, why, s);
                        if (!x) return false;
                        items[k++] = x;
                    }
                    used = nargs;
                    if (m->ninputs == 128) return false;
                    m->inputs[m->ninputs++] = em_list(e, elem, items, k);
                    continue;
                }
            }
            actual = &args[used++];
        } else {
            int found = -1;
            for (int k = 0; k < nkwargs; k++) {
                if ((is_aten && strcmp(arg->name, "self") == 0 && strcmp(kwargs[k].name, "input") == 0) ||
                    strcmp(kwargs[k].name, arg->name) == 0) {
                    found = k;
                    break;
                }
            }
            if (found >= 0) {
                if (used_kw[found]) {
                    if (why) cts_sb_printf(why, "\n%s:\nArgument %s specified twice in schema, submit a bug report!\n", fn, kwargs[found].name);
                    return false;
                }
                used_kw[found] = true;
                actual = &kwargs[found];
            } else if (arg->has_default) {
                memset(&dflt, 0, sizeof dflt);
                dflt.is_const = true;
                dflt.cval = arg->default_val;
                dflt.start = 0;
                dflt.end = 0;
                actual = &dflt;
            } else {
                if (why) cts_sb_printf(why, "\n%s:\nArgument %s not provided.\n", s->text ? s->text : fn, arg->name);
                return false;
            }
        }
        ir_value *v = try_match_arg(e, arg, actual, allow_conv, &te, why, s);
        if (!v) return false;
        if (m->ninputs == 128) return false;
        m->inputs[m->ninputs++] = v;
    }
    if (pending_self && why) cts_sb_printf(why, "\n%s:\nProvided self argument not used in schema.\n", fn);
    if (s->is_vararg)
        for (; used < nargs; used++) {
            if (m->ninputs == 128) return false;
            m->inputs[m->ninputs++] = nval_value(e, &args[used]);
        }
    if (used < nargs) {
        if (why)
            cts_sb_printf(why, "\n%s:\nExpected at most %d arguments but found %d positional arguments.\n",
                          s->text ? s->text : fn, used, nargs);
        return false;
    }
    for (int k = 0; k < nkwargs; k++) {
        if (!used_kw[k]) {
            if (why) {
                bool known = false;
                for (int i = 0; i < s->nargs; i++)
                    if (strcmp(s->args[i].name, kwargs[k].name) == 0) known = true;
                cts_sb_printf(why, "\n%s:\nKeyword argument %s %s.\n", s->text ? s->text : fn, kwargs[k].name,
                              known ? "specified twice" : "unknown");
            }
            return false;
        }
    }
    if (s->nrets > 16) return false;
    m->nrets = s->nrets;
    m->named_returns = s->nrets > 0;
    for (int i = 0; i < s->nrets; i++) {
        cts_type *rt = eval_type_vars(e, s->rets[i].type, &te);
        if (!rt) {
            if (why) cts_sb_printf(why, "\n%s:\nreturn type has unbound type variables\n", fn);
            return false;
        }
        m->ret_types[i] = rt;
        m->ret_names[i] = s->rets[i].name;
        if (!s->rets[i].name[0]) m->named_returns = false;
    }
    return true;
}

int em_match_schemas(emitter *e, const cts_schema *const *schemas, int n, nval *args, int nargs, nval *kwargs,
                     int nkwargs, nval *self, matched *m, uint32_t start, uint32_t end) {
    if (n == 1) {
        if (em_try_match(e, schemas[0], args, nargs, kwargs, nkwargs, self, true, m, NULL)) return 0;
        cts_strbuf why;
        cts_sb_init(&why);
        em_try_match(e, schemas[0], args, nargs, kwargs, nkwargs, self, true, m, &why);
        char msg[600];
        snprintf(msg, sizeof msg, "%s", cts_sb_str(&why));
        cts_sb_free(&why);
        em_error(e, start, end, "%s", msg[0] == '\n' ? msg + 1 : msg);
    }
    for (int conv = 0; conv < 2; conv++)
        for (int i = 0; i < n; i++)
            if (em_try_match(e, schemas[i], args, nargs, kwargs, nkwargs, self, conv, m, NULL)) return i;
    cts_strbuf why;
    cts_sb_init(&why);
    for (int i = 0; i < n; i++) em_try_match(e, schemas[i], args, nargs, kwargs, nkwargs, self, true, m, &why);
    char msg[700];
    snprintf(msg, sizeof msg, "Arguments for call are not valid.\nThe following variants are available:\n%s", cts_sb_str(&why));
    cts_sb_free(&why);
    em_error(e, start, end, "%s\nThe original call is", msg);
}

ir_value *em_pack_outputs(emitter *e, ir_node *n, matched *m) {
    if (n->noutputs == 1) return n->outputs[0];
    cts_type *named = NULL;
    if (m->named_returns) {
        cts_type *el[16];
        for (int i = 0; i < n->noutputs; i++) el[i] = n->outputs[i]->type;
        named = em_hold(e, cts_type_namedtuple("", n->noutputs, el, m->ret_names));
    }
    return em_tuple(e, n->outputs, n->noutputs, named);
}

ir_value *em_builtin_call(emitter *e, const char *opname, nval *args, int nargs, nval *kwargs, int nkwargs, nval *self,
                          uint32_t start, uint32_t end) {
    enum { MAXC = 512 };
    int *idx = em_alloc(e, MAXC * sizeof *idx);
    int total = cts_schema_find(opname, idx, MAXC);
    if (total > MAXC) total = MAXC;
    ir_function *bfns[16];
    int nb = em_builtin_functions(e, opname, bfns, 16);
    if (total + nb == 0)
        em_error(e, start, end,
                 "Unknown builtin op: %s.\nCould not find any similar ops to %s. This op may not exist or may not be "
                 "currently supported in TorchScript.",
                 opname, opname);
    const cts_schema **schemas = em_alloc(e, (size_t)(total + nb + 1) * sizeof *schemas);
    for (int i = 0; i < total; i++) {
        schemas[i] = cts_cu_schema(e->cu, cts_schema_text(idx[i]), e->err);
        if (!schemas[i]) em_fail(e);
    }
    for (int i = 0; i < nb; i++) {
        if (cts_cu_ensure_schema(e->cu, bfns[i], e->err)) em_fail(e);
        schemas[total + i] = bfns[i]->schema;
    }
    matched m;
    int which = em_match_schemas(e, schemas, total + nb, args, nargs, kwargs, nkwargs, self, &m, start, end);
    if (which >= total) {
        /* a TorchScript-defined builtin: inline its graph */
        ir_function *f = bfns[which - total];
        if (cts_cu_ensure_compiled(e->cu, f, e->err)) em_fail(e);
        return ir_insert_graph(e->g, f->graph, m.inputs);
    }
    const cts_schema *s = schemas[which];
    ir_node *n = em_insert(e, opname, 0, start, end);
    n->schema = s;
    for (int i = 0; i < m.ninputs; i++) ir_add_input(n, m.inputs[i]);
    for (int i = 0; i < m.nrets; i++) ir_set_type(ir_add_output(n), m.ret_types[i]);
    return em_pack_outputs(e, n, &m); /* no returns: an (unused) empty tuple, as PyTorch */
}

ir_value *em_insert_op(emitter *e, const char *opname, ir_value **inputs, int n, uint32_t start, uint32_t end) {
    nval *a = em_alloc(e, (size_t)(n + 1) * sizeof *a);
    for (int i = 0; i < n; i++) a[i].value = inputs[i];
    return em_builtin_call(e, opname, a, n, NULL, 0, NULL, start, end);
}

/* Node::maybeOperator: the first schema of the node's kind whose formals
 * its inputs match (for nodes the emitter creates directly, such as
 * aten::percentFormat and aten::Delete). */
void em_resolve_schema(emitter *e, ir_node *n) {
    int idx[64];
    int total = cts_schema_find(n->kind, idx, 64);
    if (total > 64) total = 64;
    for (int c = 0; c < total; c++) {
        const cts_schema *s = cts_cu_schema(e->cu, cts_schema_text(idx[c]), e->err);
        if (!s) em_fail(e);
        if (n->ninputs < s->nargs || (!s->is_vararg && n->ninputs != s->nargs)) continue;
        tenv te = {0};
        bool ok = true;
        for (int i = 0; i < s->nargs && ok; i++) {
            cts_type *formal = s->args[i].type;
            if (!match_type_vars(e, formal, n->inputs[i]->type, &te)) ok = false;
            else {
                cts_type *r = eval_type_vars(e, formal, &te);
                if (r) formal = r;
                if (!cts_type_subtype(n->inputs[i]->type, formal)) ok = false;
            }
        }
        if (ok) {
            n->schema = s;
            return;
        }
    }
}
