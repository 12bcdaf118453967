/* exec_nn.c - torch.nn.Module and torch.nn.Parameter for `cts exec`, with
 * PyTorch's semantics: assigning a Parameter registers a parameter, a
 * Module a submodule, anything else a plain attribute; attribute reads look
 * at the instance, then parameters, buffers and submodules; repr is
 * Module.__repr__ (extra_repr, then the children indented). */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"


bool x_is_parameter(const xstate *x, cv_value v) {
    if (v.tag != CV_TENSOR || !v.u.t) return false;
    for (int i = 0; i < x->nparams; i++)
        if (x->params[i] == v.u.t) return true;
    return false;
}
#define is_param(v) x_is_parameter(x, (v))

int x_register_parameter(xstate *x, ct_tensor *t) {
    if (x->nparams == x->cap_params) {
        int nc = x->cap_params ? 2 * x->cap_params : 64;
        ct_tensor **p = realloc(x->params, (size_t)nc * sizeof *p);
        if (!p) return cts_err_oom(x->err, "parameter", 0);
        x->params = p;
        x->cap_params = nc;
    }
    ct_tensor_retain(t);
    x->params[x->nparams++] = t;
    return 0;
}
static bool is_module(cv_value v) {
    return (xo_is(v, XO_INST) && xo_of(v)->klass->is_module) || xo_is(v, XO_SMOD);
}

static int self_inst(xstate *x, const cv_value *a, int n, const char *what, xo **out) {
    if (n < 1 || !xo_is(a[0], XO_INST) || !xo_of(a[0])->klass->is_module)
        return x_error(x, "TypeError: Module.%s needs a module instance", what);
    *out = xo_of(a[0]);
    return 0;
}

static const char *kwarg(const char *const *kwn, const cv_value *kwv, int nkw, const char *name, cv_value *v) {
    for (int i = 0; i < nkw; i++)
        if (!strcmp(kwn[i], name)) {
            *v = kwv[i];
            return name;
        }
    return NULL;
}

NATIVE(m_init) {
    (void)kwv;
    xo *m = NULL;
    if (self_inst(x, a, n, "__init__", &m)) return -1;
    if (n > 1 || nkw) return x_error(x, "TypeError: Module.__init__() takes no arguments%s%s", nkw ? ": " : "",
                                     nkw ? kwn[0] : "");
    m->training = true;
    *out = cv_none();
    return 0;
}

static void drop_everywhere(xo *m, const char *name) {
    xns_del(&m->ns, name);
    xns_del(&m->params, name);
    xns_del(&m->buffers, name);
    xns_del(&m->modules, name);
}

NATIVE(m_register_buffer) {
    xo *m = NULL;
    if (self_inst(x, a, n, "register_buffer", &m)) return -1;
    cv_value t = n > 2 ? a[2] : cv_none();
    kwarg(kwn, kwv, nkw, "tensor", &t);
    if (n < 2 || a[1].tag != CV_STR) return x_error(x, "TypeError: buffer name should be a string");
    if (t.tag != CV_NONE && t.tag != CV_TENSOR)
        return x_error(x, "TypeError: cannot assign a non-tensor as buffer '%s' (torch Tensor or None required)",
                       a[1].u.s->data);
    drop_everywhere(m, a[1].u.s->data);
    *out = cv_none();
    return xns_set(&m->buffers, a[1].u.s->data, t, x->err);
}

NATIVE(m_register_parameter) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "register_parameter", &m)) return -1;
    if (n != 3 || a[1].tag != CV_STR) return x_error(x, "TypeError: register_parameter(name, param)");
    if (a[2].tag != CV_NONE && !is_param(a[2]))
        return x_error(x, "TypeError: cannot assign a plain tensor as parameter '%s' (torch.nn.Parameter or None "
                          "required)", a[1].u.s->data);
    drop_everywhere(m, a[1].u.s->data);
    *out = cv_none();
    return xns_set(&m->params, a[1].u.s->data, a[2], x->err);
}

NATIVE(m_add_module) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "add_module", &m)) return -1;
    if (n != 3 || a[1].tag != CV_STR) return x_error(x, "TypeError: add_module(name, module)");
    if (a[2].tag != CV_NONE && !is_module(a[2]))
        return x_error(x, "TypeError: add_module: '%s' is not a Module subclass", a[1].u.s->data);
    drop_everywhere(m, a[1].u.s->data);
    *out = cv_none();
    return xns_set(&m->modules, a[1].u.s->data, a[2], x->err);
}

/* named_modules in PyTorch's order: self, then each child's tree */
static int walk_modules(xstate *x, cv_value self, const char *prefix, cv_value list, bool named, int depth) {
    if (depth > 100) return x_error(x, "module tree too deep");
    cv_value item = self;
    cv_retain(self);
    if (named) {
        cv_value pair[2];
        if (cv_str_from(prefix, &pair[0], x->err)) return -1;
        pair[1] = self;
        if (cv_tuple_new(NULL, 2, pair, &item, x->err)) return -1;
    }
    int rc = x_list_push(x, list, item);
    cv_release(item);
    if (rc || !xo_is(self, XO_INST)) return rc;
    xo *m = xo_of(self);
    for (int i = 0; i < m->modules.n; i++) {
        if (m->modules.vals[i].tag == CV_NONE) continue;
        char p[512];
        if ((size_t)snprintf(p, sizeof p, "%s%s%s", prefix, *prefix ? "." : "", m->modules.names[i]) >= sizeof p)
            return x_error(x, "module name too long");
        if (walk_modules(x, m->modules.vals[i], p, list, named, depth + 1)) return -1;
    }
    return 0;
}

NATIVE(m_modules) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "modules", &m) || x_list_new(x, 0, out)) return -1;
    return walk_modules(x, a[0], "", *out, false, 0);
}

NATIVE(m_named_modules) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "named_modules", &m) || x_list_new(x, 0, out)) return -1;
    return walk_modules(x, a[0], "", *out, true, 0);
}

static int ns_items(xstate *x, const xns *ns, bool named, const char *prefix, cv_value list) {
    for (int i = 0; i < ns->n; i++) {
        if (ns->vals[i].tag == CV_NONE) continue;
        cv_value item = ns->vals[i];
        cv_retain(item);
        if (named) {
            cv_value pair[2];
            char p[512];
            snprintf(p, sizeof p, "%s%s", prefix, ns->names[i]);
            if (cv_str_from(p, &pair[0], x->err)) return -1;
            pair[1] = item;
            if (cv_tuple_new(NULL, 2, pair, &item, x->err)) return -1;
        }
        int rc = x_list_push(x, list, item);
        cv_release(item);
        if (rc) return -1;
    }
    return 0;
}

NATIVE(m_children) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "children", &m) || x_list_new(x, 0, out)) return -1;
    return ns_items(x, &m->modules, false, "", *out);
}

NATIVE(m_named_children) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "named_children", &m) || x_list_new(x, 0, out)) return -1;
    return ns_items(x, &m->modules, true, "", *out);
}

static int tensors_of(xstate *x, cv_value self, bool params, bool named, cv_value list) {
    cv_value mods;
    if (x_list_new(x, 0, &mods) || walk_modules(x, self, "", mods, true, 0)) return -1;
    int rc = 0;
    for (size_t i = 0; i < mods.u.l->len && !rc; i++) {
        cv_value pair = mods.u.l->items[i];
        xo *m = xo_of(pair.u.tu->items[1]);
        if (!m || m->kind != XO_INST) continue;
        char prefix[512];
        const char *p = pair.u.tu->items[0].u.s->data;
        snprintf(prefix, sizeof prefix, "%s%s", p, *p ? "." : "");
        rc = ns_items(x, params ? &m->params : &m->buffers, named, prefix, list);
    }
    cv_release(mods);
    return rc;
}

NATIVE(m_parameters) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "parameters", &m) || x_list_new(x, 0, out)) return -1;
    return tensors_of(x, a[0], true, false, *out);
}
NATIVE(m_named_parameters) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "named_parameters", &m) || x_list_new(x, 0, out)) return -1;
    return tensors_of(x, a[0], true, true, *out);
}
NATIVE(m_buffers) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "buffers", &m) || x_list_new(x, 0, out)) return -1;
    return tensors_of(x, a[0], false, false, *out);
}
NATIVE(m_named_buffers) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "named_buffers", &m) || x_list_new(x, 0, out)) return -1;
    return tensors_of(x, a[0], false, true, *out);
}

static void set_training(cv_value v, bool mode, int depth) {
    xo *m = xo_of(v);
    if (!m || m->kind != XO_INST || depth > 100) return; /* a module holding itself stops here */
    m->training = mode;
    for (int i = 0; i < m->modules.n; i++) set_training(m->modules.vals[i], mode, depth + 1);
}

NATIVE(m_train) {
    xo *m = NULL;
    if (self_inst(x, a, n, "train", &m)) return -1;
    cv_value mode = n > 1 ? a[1] : cv_bool(true);
    kwarg(kwn, kwv, nkw, "mode", &mode);
    if (mode.tag != CV_BOOL) return x_error(x, "ValueError: training mode is expected to be boolean");
    set_training(a[0], mode.u.b, 0);
    cv_retain(a[0]);
    *out = a[0];
    return 0;
}

NATIVE(m_eval) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "eval", &m)) return -1;
    set_training(a[0], false, 0);
    cv_retain(a[0]);
    *out = a[0];
    return 0;
}

static int apply_rec(xstate *x, cv_value mod, cv_value fn, int depth) {
    xo *m = xo_of(mod);
    if (depth > 100) return x_error(x, "RecursionError: module tree too deep (a module that contains itself?)");
    for (int i = 0; i < m->modules.n; i++)
        if (xo_is(m->modules.vals[i], XO_INST) && apply_rec(x, m->modules.vals[i], fn, depth + 1)) return -1;
    cv_value r;
    if (x_call(x, fn, &mod, 1, NULL, NULL, 0, &r)) return -1;
    cv_release(r);
    return 0;
}

NATIVE(m_apply) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "apply", &m)) return -1;
    if (n != 2) return x_error(x, "TypeError: apply(fn)");
    if (apply_rec(x, a[0], a[1], 0)) return -1;
    cv_retain(a[0]);
    *out = a[0];
    return 0;
}

NATIVE(m_extra_repr) {
    (void)a;
    (void)n;
    (void)kwn;
    (void)kwv;
    (void)nkw;
    return cv_str_from("", out, x->err);
}

NATIVE(m_get_name) {
    (void)kwn;
    (void)kwv;
    (void)nkw;
    xo *m = NULL;
    if (self_inst(x, a, n, "_get_name", &m)) return -1;
    return cv_str_from(m->klass->name, out, x->err);
}

NATIVE(p_parameter) {
    cv_value data = n > 0 ? a[0] : cv_none(), rg = n > 1 ? a[1] : cv_bool(true);
    kwarg(kwn, kwv, nkw, "data", &data);
    kwarg(kwn, kwv, nkw, "requires_grad", &rg);
    if (data.tag == CV_NONE) {
        int64_t zero = 0;
        ct_tensor *t = ct_tensor_empty(CT_FLOAT32, 1, &zero, x->err);
        if (!t) return -1;
        data = cv_tensor(t);
    } else if (data.tag != CV_TENSOR || !data.u.t) {
        return x_error(x, "TypeError: Parameter expects a tensor");
    } else {
        ct_tensor *t = ct_alias(data.u.t, x->err);
        if (!t) return -1;
        data = cv_tensor(t);
    }
    data.u.t->requires_grad = rg.tag == CV_BOOL ? rg.u.b : true;
    if (x_register_parameter(x, data.u.t)) {
        cv_release(data);
        return -1;
    }
    *out = data;
    return 0;
}

/* ---- attribute protocol ---- */

int x_module_getattr(xstate *x, xo *inst, const char *name, cv_value *out, bool *found) {
    const xns *spaces[3] = {&inst->params, &inst->buffers, &inst->modules};
    for (int i = 0; i < 3; i++) {
        cv_value *v = xns_get(spaces[i], name);
        if (v) {
            cv_retain(*v);
            *out = *v;
            *found = true;
            return 0;
        }
    }
    if (!strcmp(name, "training")) {
        *out = cv_bool(inst->training);
        *found = true;
        return 0;
    }
    const xns *dicts[3] = {&inst->modules, &inst->params, &inst->buffers};
    const char *dnames[3] = {"_modules", "_parameters", "_buffers"};
    for (int k = 0; k < 3; k++) {
        if (strcmp(name, dnames[k])) continue;
        if (cv_dict_new(T_STR, T_ANY, out, x->err)) return -1;
        for (int i = 0; i < dicts[k]->n; i++) {
            cv_value key;
            if (cv_str_from(dicts[k]->names[i], &key, x->err)) return -1;
            cv_retain(dicts[k]->vals[i]);
            if (cv_dict_set(out->u.d, key, dicts[k]->vals[i], x->err)) return -1;
        }
        *found = true;
        return 0;
    }
    *found = false;
    return 0;
}

int x_module_setattr(xstate *x, xo *inst, const char *name, cv_value v) {
    if (!strcmp(name, "training")) {
        if (v.tag != CV_BOOL) return x_error(x, "TypeError: training must be a bool");
        inst->training = v.u.b;
        return 0;
    }
    if (is_param(v)) {
        drop_everywhere(inst, name);
        return xns_set(&inst->params, name, v, x->err);
    }
    if (is_module(v)) {
        drop_everywhere(inst, name);
        return xns_set(&inst->modules, name, v, x->err);
    }
    if (xns_get(&inst->params, name)) {
        if (v.tag != CV_NONE)
            return x_error(x, "TypeError: cannot assign a plain tensor or value as parameter '%s' "
                              "(torch.nn.Parameter or None expected)", name);
        return xns_set(&inst->params, name, v, x->err);
    }
    if (xns_get(&inst->modules, name)) {
        if (v.tag != CV_NONE) return x_error(x, "TypeError: cannot assign a non-module as child module '%s'", name);
        return xns_set(&inst->modules, name, v, x->err);
    }
    if (xns_get(&inst->buffers, name)) {
        if (v.tag != CV_NONE && v.tag != CV_TENSOR)
            return x_error(x, "TypeError: cannot assign a non-tensor as buffer '%s'", name);
        return xns_set(&inst->buffers, name, v, x->err);
    }
    return xns_set(&inst->ns, name, v, x->err);
}

/* PyTorch's _addindent: every line after the first indented by n spaces */
static void add_indent(const char *s, int n, cts_strbuf *sb) {
    for (const char *p = s; *p; p++) {
        cts_sb_putc(sb, *p);
        if (*p == '\n')
            for (int i = 0; i < n; i++) cts_sb_putc(sb, ' ');
    }
}

int x_module_repr_parts(xstate *x, const char *name, const char *extra, const char *const *child_names,
                        cv_value *children, int nchildren, cts_strbuf *sb);

int x_module_repr_parts(xstate *x, const char *name, const char *extra, const char *const *child_names,
                        cv_value *children, int nchildren, cts_strbuf *sb) {
    cts_sb_printf(sb, "%s(", name);
    int nextra = 0;
    if (extra && *extra) {
        nextra = 1;
        for (const char *p = extra; *p; p++) nextra += *p == '\n';
    }
    if (nextra == 1 && nchildren == 0) {
        cts_sb_puts(sb, extra);
    } else if (nextra || nchildren) {
        cts_sb_puts(sb, "\n  ");
        if (nextra) {
            add_indent(extra, 2, sb);
            if (nchildren) cts_sb_puts(sb, "\n  ");
        }
        for (int i = 0; i < nchildren; i++) {
            cts_strbuf c;
            cts_sb_init(&c);
            if (x_repr(x, children[i], &c)) {
                cts_sb_free(&c);
                return -1;
            }
            cts_sb_printf(sb, "(%s): ", child_names[i]);
            add_indent(cts_sb_str(&c), 2, sb);
            cts_sb_free(&c);
            if (i + 1 < nchildren) cts_sb_puts(sb, "\n  ");
        }
        cts_sb_putc(sb, '\n');
    }
    cts_sb_putc(sb, ')');
    return 0;
}

int x_module_repr(xstate *x, xo *inst, cts_strbuf *sb) {
    cv_value self = {CV_PY, {.py = &inst->head}}, er, r = cv_none();
    if (x_getattr(x, self, "extra_repr", &er)) return -1;
    int rc = x_call(x, er, NULL, 0, NULL, NULL, 0, &r);
    cv_release(er);
    if (rc) return -1;
    if (r.tag != CV_STR) {
        cv_release(r);
        return x_error(x, "TypeError: extra_repr() must return a string");
    }
    /* children: submodules that are not None */
    const char *names[256];
    cv_value kids[256];
    int nk = 0;
    for (int i = 0; i < inst->modules.n && nk < 256; i++) {
        if (inst->modules.vals[i].tag == CV_NONE) continue;
        names[nk] = inst->modules.names[i];
        kids[nk++] = inst->modules.vals[i];
    }
    cv_value gn, name = cv_none();
    rc = x_getattr(x, self, "_get_name", &gn);
    if (!rc) {
        rc = x_call(x, gn, NULL, 0, NULL, NULL, 0, &name);
        cv_release(gn);
    }
    if (!rc) rc = x_module_repr_parts(x, name.tag == CV_STR ? name.u.s->data : inst->klass->name, r.u.s->data, names,
                                      kids, nk, sb);
    cv_release(name);
    cv_release(r);
    return rc;
}

/* ---- the native modules ---- */

int x_nn_init(xstate *x) {
    cv_value c;
    if (xo_new(x, XO_CLASS, "Module", &c)) return -1;
    xo *m = xo_of(c);
    m->is_module = true;
    static const struct { const char *n; xnative_fn f; } fns[] = {
        {"__init__", m_init},           {"register_buffer", m_register_buffer},
        {"register_parameter", m_register_parameter}, {"add_module", m_add_module},
        {"register_module", m_add_module}, {"modules", m_modules},
        {"named_modules", m_named_modules}, {"children", m_children},
        {"named_children", m_named_children}, {"parameters", m_parameters},
        {"named_parameters", m_named_parameters}, {"buffers", m_buffers},
        {"named_buffers", m_named_buffers}, {"train", m_train},
        {"eval", m_eval},               {"apply", m_apply},
        {"extra_repr", m_extra_repr},   {"_get_name", m_get_name},
    };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        cv_value f;
        if (xo_native_new(x, fns[i].n, fns[i].f, cv_none(), &f)) {
            cv_release(c);
            return -1;
        }
        int rc = xns_set(&m->ns, fns[i].n, f, x->err);
        cv_release(f);
        if (rc) {
            cv_release(c);
            return -1;
        }
    }
    x->module_class = c;
    return 0;
}

cv_value x_nn_native_module(xstate *x, const char *name) {
    cv_value m;
    if (xo_new(x, XO_MODULE, name, &m)) return cv_none();
    xo *mo = xo_of(m);
    char q[256];
    snprintf(q, sizeof q, "__torch__.%s", name);
    mo->qualifier = malloc(strlen(q) + 1);
    if (!mo->qualifier) {
        cv_release(m);
        cts_err_oom(x->err, "module", 0);
        return cv_none();
    }
    strcpy(mo->qualifier, q);
    int rc;
    if (!strcmp(name, "torch.nn.modules.module")) {
        rc = xns_set(&mo->ns, "Module", x->module_class, x->err);
    } else {
        cv_value p;
        rc = xo_native_new(x, "Parameter", p_parameter, cv_none(), &p);
        if (!rc) {
            rc = xns_set(&mo->ns, "Parameter", p, x->err);
            cv_release(p);
        }
    }
    if (rc) {
        cv_release(m);
        return cv_none();
    }
    return m;
}
