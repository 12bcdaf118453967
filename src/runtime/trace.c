/* trace.c - the tracer (see trace.h).
 *
 * Values: a tensor is found by identity (the tracer keeps a reference to
 * every tensor it maps, so an address is never reused while it traces);
 * other values an operator returned are found by the key their producer
 * gave (an API handle, a register), when the consumer passes the same key.
 * Constants are inserted at the top of the graph, equal scalars once.
 * Graph building runs under the graph's out-of-memory jump. */
#include "trace.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../serialize/ptrmap.h"
#include "module.h"

struct cts_tracer {
    cts_cu *cu;
    ir_graph *g;
    cts_ptrmap tensors;   /* tensor, list or tuple payload -> index in vals */
    cts_ptrmap keyed;     /* key -> index in vals */
    ir_value **vals;
    int nvals, cap_vals;
    cv_value *held;       /* references to the mapped payloads */
    int nheld, cap_held;
    cts_map consts;       /* scalar constant text -> ir_value* */
    ir_node *first_op;    /* constants go before it */
    bool inline_consts;   /* PyTorch's tracer: a constant per use, where it is used */
    jmp_buf jb;
};

static _Thread_local cts_tracer *tl_current;

cts_tracer *cts_tracer_current(void) { return tl_current; }
void cts_tracer_set_current(cts_tracer *t) { tl_current = t; }

cts_tracer *cts_tracer_new(cts_cu *cu, cts_type *self_type, cts_err *err) {
    cts_tracer *t = calloc(1, sizeof *t);
    if (!t || !(t->g = ir_graph_new())) {
        free(t);
        cts_err_oom(err, "tracer", 0);
        return NULL;
    }
    t->cu = cu;
    cts_ptrmap_init(&t->tensors);
    cts_ptrmap_init(&t->keyed);
    cts_map_init(&t->consts);
    ir_value *self = ir_block_add_input(t->g->block, "self");
    if (self_type) ir_set_type(self, self_type);
    ir_set_insert_end(t->g, t->g->block);
    return t;
}

void cts_tracer_set_self_type(cts_tracer *t, cts_type *self_type) {
    ir_set_type(ir_block_input(t->g->block, 0), self_type);
}

void cts_tracer_free(cts_tracer *t) {
    if (!t) return;
    if (tl_current == t) tl_current = NULL;
    ir_graph_free(t->g);
    cts_ptrmap_free(&t->tensors);
    cts_ptrmap_free(&t->keyed);
    for (size_t i = 0; i < t->consts.cap; i++) free((void *)t->consts.slots[i].key);
    cts_map_free(&t->consts);
    for (int i = 0; i < t->nheld; i++) cv_release(t->held[i]);
    free(t->held);
    free(t->vals);
    free(t);
}

static _Noreturn void oom(cts_tracer *t) { longjmp(t->jb, 1); }

static int add_val(cts_tracer *t, ir_value *v) {
    if (t->nvals == t->cap_vals) {
        int nc = t->cap_vals ? 2 * t->cap_vals : 64;
        ir_value **p = realloc(t->vals, (size_t)nc * sizeof *p);
        if (!p) oom(t);
        t->vals = p;
        t->cap_vals = nc;
    }
    t->vals[t->nvals] = v;
    return t->nvals++;
}

/* Maps a tensor, list or tuple by identity (holding a reference, so its
 * address is not reused while tracing). */
static void map_payload(cts_tracer *t, cv_value x, ir_value *v) {
    if (!((x.tag == CV_TENSOR || x.tag == CV_LIST || x.tag == CV_TUPLE) && x.u.rc)) return;
    if (!cts_ptrmap_get(&t->tensors, cts_ptrkey(x.u.rc))) {
        if (t->nheld == t->cap_held) {
            int nc = t->cap_held ? 2 * t->cap_held : 64;
            cv_value *p = realloc(t->held, (size_t)nc * sizeof *p);
            if (!p) oom(t);
            t->held = p;
            t->cap_held = nc;
        }
        cv_retain(x);
        t->held[t->nheld++] = x;
    }
    if (cts_ptrmap_put(&t->tensors, cts_ptrkey(x.u.rc), (uint64_t)add_val(t, v))) oom(t);
}

static void map_tensor(cts_tracer *t, ct_tensor *x, ir_value *v) {
    if (x) map_payload(t, cv_tensor(x), v);
}

static void map_key(cts_tracer *t, const void *key, ir_value *v) {
    if (key && cts_ptrmap_put(&t->keyed, cts_ptrkey(key), (uint64_t)add_val(t, v))) oom(t);
}

#define FORGOTTEN UINT64_MAX

void cts_tracer_forget(cts_tracer *t, const void *key) {
    uint64_t *i = t && key ? cts_ptrmap_get(&t->keyed, cts_ptrkey(key)) : NULL;
    if (i) *i = FORGOTTEN;
}

static ir_value *lookup(cts_tracer *t, cv_value v, const void *key) {
    uint64_t *i = key ? cts_ptrmap_get(&t->keyed, cts_ptrkey(key)) : NULL;
    if (i && *i != FORGOTTEN) return t->vals[*i];
    if ((v.tag == CV_TENSOR || v.tag == CV_LIST || v.tag == CV_TUPLE) && v.u.rc &&
        (i = cts_ptrmap_get(&t->tensors, cts_ptrkey(v.u.rc))))
        return t->vals[*i];
    return NULL;
}

static void append(cts_tracer *t, ir_node *n);
static cts_type *shaped_type(cts_tracer *t, const ct_tensor *x, bool requires_grad);

/* as PyTorch's tracer records a Python value: a constant inserted where it is
 * used (a list of numbers: a ListConstruct of one constant per item) */
static ir_value *inline_constant(cts_tracer *t, cv_value v) {
    if (v.tag == CV_LIST && (v.u.l->elem->kind == TY_INT || v.u.l->elem->kind == TY_FLOAT ||
                             v.u.l->elem->kind == TY_BOOL)) {
        ir_node *c = ir_create(t->g, "prim::ListConstruct", 1);
        for (size_t i = 0; i < v.u.l->len; i++) ir_add_input(c, inline_constant(t, v.u.l->items[i]));
        cts_type *ty = cv_type_of(v);
        if (!ty) oom(t);
        ir_set_type(c->outputs[0], ty);
        cts_type_release(ty);
        append(t, c);
        return c->outputs[0];
    }
    ir_value *c = v.tag == CV_NONE ? ir_insert_none(t->g) : ir_insert_constant(t->g, v, NULL, 0, 0);
    if (v.tag == CV_TENSOR && v.u.t) {
        cts_type *ty = shaped_type(t, v.u.t, false);
        ir_set_type(c, ty);
        cts_type_release(ty);
    }
    return c;
}

void cts_tracer_set_inline_constants(cts_tracer *t, bool on) { t->inline_consts = on; }

/* PyTorch's complete tensor type of a traced value: "Float(3, 4, strides=[4, 1],
 * requires_grad=0, device=cpu)" */
static cts_type *shaped_type(cts_tracer *t, const ct_tensor *x, bool requires_grad) {
    char buf[512];
    size_t off = (size_t)snprintf(buf, sizeof buf, "%s(", ct_dtype_ir_name(x->dtype));
    for (int d = 0; d < x->ndim && off < sizeof buf; d++)
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%lld, ", (long long)x->sizes[d]);
    if (x->ndim && off < sizeof buf) {
        off += (size_t)snprintf(buf + off, sizeof buf - off, "strides=[");
        for (int d = 0; d < x->ndim && off < sizeof buf; d++)
            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%lld", d ? ", " : "", (long long)x->strides[d]);
        if (off < sizeof buf) off += (size_t)snprintf(buf + off, sizeof buf - off, "], ");
    }
    if (off < sizeof buf) snprintf(buf + off, sizeof buf - off, "requires_grad=%d, device=cpu)", requires_grad ? 1 : 0);
    cts_type *ty = cts_type_tensor_shaped(buf, requires_grad);
    if (!ty) oom(t);
    return ty;
}

static bool float_dtype(ct_dtype d) {
    return d == CT_FLOAT32 || d == CT_FLOAT64 || d == CT_FLOAT16 || d == CT_BFLOAT16 || d == CT_COMPLEX64;
}

/* whether a traced op's output requires grad, as autograd decides it: a
 * floating output of a differentiable op with an input that requires grad */
static bool needs_grad(const char *kind, ir_node *node, const cv_value *in, int nin, const ct_tensor *out) {
    static const char *const nondiff[] = {"aten::zeros_like", "aten::ones_like", "aten::empty_like", "aten::full_like",
                                          "aten::rand_like", "aten::randn_like", "aten::detach", "aten::new_zeros",
                                          "aten::new_ones", "aten::new_empty", "aten::new_full", "aten::randint_like"};
    if (!float_dtype(out->dtype)) return false;
    for (size_t i = 0; i < sizeof nondiff / sizeof *nondiff; i++)
        if (!strcmp(kind, nondiff[i])) return false;
    for (int i = 0; i < nin && i < node->ninputs; i++) {
        const cts_type *ty = node->inputs[i]->type;
        if (ty->kind == TY_TENSOR && ty->requires_grad) return true;
        if (in[i].tag == CV_TENSOR && in[i].u.t && in[i].u.t->requires_grad) return true;
        if (in[i].tag == CV_LIST)
            for (size_t k = 0; k < in[i].u.l->len; k++)
                if (in[i].u.l->items[k].tag == CV_TENSOR && in[i].u.l->items[k].u.t &&
                    in[i].u.l->items[k].u.t->requires_grad)
                    return true;
    }
    return false;
}

static ir_value *constant(cts_tracer *t, cv_value v) {
    if (t->inline_consts) return inline_constant(t, v);
    char key[64] = {0};
    switch (v.tag) {
    case CV_NONE: snprintf(key, sizeof key, "n"); break;
    case CV_BOOL: snprintf(key, sizeof key, "b%d", (int)v.u.b); break;
    case CV_INT: snprintf(key, sizeof key, "i%lld", (long long)v.u.i); break;
    case CV_FLOAT: snprintf(key, sizeof key, "f%a", v.u.f); break;
    default: break;
    }
    if (key[0]) {
        ir_value *c = cts_map_get(&t->consts, key);
        if (c) return c;
    }
    ir_node *save = t->g->insert_before;
    if (t->first_op) ir_set_insert_before(t->g, t->first_op);
    ir_value *c = v.tag == CV_NONE ? ir_insert_none(t->g) : ir_insert_constant(t->g, v, NULL, 0, 0);
    t->g->insert_before = save;
    if (key[0]) {
        char *k = malloc(strlen(key) + 1);
        if (!k) oom(t);
        strcpy(k, key);
        if (cts_map_put(&t->consts, k, c)) {
            free(k);
            oom(t);
        }
    }
    return c;
}

static void append(cts_tracer *t, ir_node *n) {
    ir_insert(t->g, n);
    if (!t->first_op) t->first_op = n;
}

/* The graph value for an argument: traced, a container built from traced
 * elements, or a constant. */
static ir_value *value_of(cts_tracer *t, cv_value v, const void *key) {
    ir_value *r = lookup(t, v, key);
    if (r) return r;
    if ((v.tag == CV_LIST || v.tag == CV_TUPLE)) {
        size_t n = v.tag == CV_LIST ? v.u.l->len : v.u.tu->len;
        const cv_value *items = v.tag == CV_LIST ? v.u.l->items : v.u.tu->items;
        bool any = false;
        for (size_t i = 0; i < n && !any; i++) any = lookup(t, items[i], NULL) != NULL || items[i].tag == CV_TENSOR;
        if (any) {
            ir_node *c = ir_create(t->g, v.tag == CV_LIST ? "prim::ListConstruct" : "prim::TupleConstruct", 1);
            cts_type *ets[64];
            for (size_t i = 0; i < n; i++) {
                ir_add_input(c, value_of(t, items[i], NULL));
                if (i < 64) ets[i] = c->inputs[i]->type;
            }
            /* a tuple's type from its items' graph types (an Optional item
             * that is None now stays Optional) */
            cts_type *ty = v.tag == CV_TUPLE && n <= 64 ? cts_type_tuple((int)n, ets) : cv_type_of(v);
            if (!ty) oom(t);
            ir_set_type(c->outputs[0], ty);
            cts_type_release(ty);
            append(t, c);
            return c->outputs[0];
        }
    }
    return constant(t, v);
}

/* The type of an operator's output: the schema's when it is concrete. */
static cts_type *out_type(const cts_arg *ret, cv_value v) {
    cts_type *st = ret ? ret->type : NULL;
    if (st && (st->kind == TY_TENSOR || st->kind == TY_INT || st->kind == TY_FLOAT || st->kind == TY_BOOL ||
               st->kind == TY_STR)) {
        cts_type_retain(st);
        return st;
    }
    return cv_type_of(v);
}

/* Maps a produced value (and, for lists and tuples of tensors, its
 * elements through an unpack node). */
static void map_output(cts_tracer *t, cv_value v, const void *key, ir_value *iv) {
    map_key(t, key, iv);
    map_payload(t, v, iv);
}

int cts_tracer_input(cts_tracer *t, cv_value v, const char *name, cts_err *err) {
    if (setjmp(t->jb)) return cts_err_oom(err, "trace", 0);
    t->g->oom_jmp = &t->jb;
    ir_value *in = ir_block_add_input(t->g->block, name);
    int rc = 0;
    if (v.tag == CV_TENSOR && v.u.t) {
        if (t->inline_consts) {
            cts_type *ty = shaped_type(t, v.u.t, v.u.t->requires_grad);
            ir_set_type(in, ty);
            cts_type_release(ty);
        } else {
            ir_set_type(in, T_TENSOR);
        }
        map_tensor(t, v.u.t, in);
    } else if (v.tag == CV_TUPLE || v.tag == CV_LIST) {
        cts_type *ty = cv_type_of(v);
        if (!ty) oom(t);
        ir_set_type(in, ty);
        cts_type_release(ty);
        size_t n = v.tag == CV_LIST ? v.u.l->len : v.u.tu->len;
        const cv_value *items = v.tag == CV_LIST ? v.u.l->items : v.u.tu->items;
        ir_node *u = ir_create(t->g, v.tag == CV_LIST ? "prim::ListUnpack" : "prim::TupleUnpack", (int)n);
        ir_add_input(u, in);
        for (size_t i = 0; i < n; i++) {
            if (items[i].tag != CV_TENSOR || !items[i].u.t) {
                rc = cts_err_set(err, "trace: input '%s' holds a %s; traced inputs are tensors and tuples or lists "
                                      "of tensors", name, cv_tag_name(items[i].tag));
                break;
            }
            ir_set_type(u->outputs[i], T_TENSOR);
            map_tensor(t, items[i].u.t, u->outputs[i]);
        }
        append(t, u);
    } else {
        rc = cts_err_set(err, "trace: input '%s' is a %s; traced inputs are tensors and tuples or lists of tensors",
                         name, cv_tag_name(v.tag));
    }
    t->g->oom_jmp = NULL;
    return rc;
}

ir_node *cts_tracer_node(cts_tracer *t, const char *kind, const cts_schema *s, const cv_value *in,
                         const void *const *in_keys, int nin, const cv_value *out, const void *const *out_keys,
                         cts_type *const *out_types, int nout, cts_err *err) {
    if (setjmp(t->jb)) {
        cts_err_oom(err, "trace", 0);
        return NULL;
    }
    t->g->oom_jmp = &t->jb;
    ir_value *args[128];
    int n = nin < 128 ? nin : 128;
    for (int i = 0; i < n; i++) args[i] = value_of(t, in[i], in_keys ? in_keys[i] : NULL);
    ir_node *node = ir_create(t->g, kind, 0);
    node->schema = s;
    for (int i = 0; i < n; i++) ir_add_input(node, args[i]);
    bool tuple = !strcmp(kind, "prim::TupleConstruct") && n <= 64;
    /* unpacking: the items' types are the container's element types */
    cts_type *from = n >= 1 && (!strcmp(kind, "prim::TupleUnpack") || !strcmp(kind, "prim::ListUnpack") ||
                                !strcmp(kind, "prim::TupleIndex"))
                         ? args[0]->type
                         : NULL;
    for (int i = 0; i < nout; i++) {
        ir_value *o = ir_add_output(node);
        cts_type *ty = out_types && out_types[i] && !tuple ? out_types[i] : NULL;
        int ei = from && from->kind == TY_TUPLE && !strcmp(kind, "prim::TupleIndex") && n == 2 && in[1].tag == CV_INT
                     ? (int)in[1].u.i
                     : i;
        if (from && from->kind == TY_TUPLE && ei >= 0 && ei < from->n) ty = from->elems[ei];
        else if (from && from->kind == TY_LIST && from->n == 1) ty = from->elems[0];
        if (ty) {
            cts_type_retain(ty);
        } else if (tuple) { /* from the items' graph types, as TorchScript types a tuple */
            cts_type *ets[64];
            for (int j = 0; j < n; j++) ets[j] = args[j]->type;
            ty = cts_type_tuple(n, ets);
        } else {
            ty = out_type(s && i < s->nrets ? &s->rets[i] : NULL, out[i]);
        }
        if (!ty) oom(t);
        if (t->inline_consts && ty->kind == TY_TENSOR && out[i].tag == CV_TENSOR && out[i].u.t &&
            strcmp(kind, "prim::CallMethod") && strcmp(kind, "prim::CallFunction") && strcmp(kind, "prim::GetAttr")) {
            cts_type_release(ty); /* PyTorch's tracer records the shape of what an operator made */
            ty = shaped_type(t, out[i].u.t, needs_grad(kind, node, in, n, out[i].u.t));
        }
        ir_set_type(o, ty);
        cts_type_release(ty);
    }
    append(t, node);
    for (int i = 0; i < nout; i++) map_output(t, out[i], out_keys ? out_keys[i] : NULL, node->outputs[i]);
    t->g->oom_jmp = NULL;
    return node;
}

int cts_tracer_op_keyed(cts_tracer *t, const cts_schema *s, const cv_value *in, const void *const *in_keys, int nin,
                        const cv_value *out, const void *const *out_keys, int nout, cts_err *err) {
    return cts_tracer_node(t, s->name, s, in, in_keys, nin, out, out_keys, NULL, nout, err) ? 0 : -1;
}

bool cts_tracer_knows(cts_tracer *t, cv_value v, const void *key) { return lookup(t, v, key) != NULL; }
ir_value *cts_tracer_value(cts_tracer *t, cv_value v) { return lookup(t, v, NULL); }

void cts_tracer_alias(cts_tracer *t, const void *dst_key, const void *src_key) {
    uint64_t *i = src_key ? cts_ptrmap_get(&t->keyed, cts_ptrkey(src_key)) : NULL;
    if (i && *i != FORGOTTEN) {
        if (cts_ptrmap_put(&t->keyed, cts_ptrkey(dst_key), *i)) cts_tracer_forget(t, dst_key);
    } else {
        cts_tracer_forget(t, dst_key);
    }
}

void cts_tracer_map_self(cts_tracer *t, const void *key) {
    if (setjmp(t->jb)) return;
    t->g->oom_jmp = &t->jb;
    map_key(t, key, ir_block_input(t->g->block, 0));
    t->g->oom_jmp = NULL;
}

ir_graph *cts_tracer_graph(cts_tracer *t) { return t->g; }

int cts_tracer_list(cts_tracer *t, cv_value list, const void *const *item_keys, const void *key, cts_err *err) {
    if (list.tag != CV_LIST || !key) return 0;
    bool traced = false;
    for (size_t i = 0; i < list.u.l->len && !traced; i++)
        traced = lookup(t, list.u.l->items[i], item_keys ? item_keys[i] : NULL) != NULL;
    if (!traced) return 0; /* a constant where it is used */
    if (setjmp(t->jb)) return cts_err_oom(err, "trace", 0);
    t->g->oom_jmp = &t->jb;
    ir_node *c = ir_create(t->g, "prim::ListConstruct", 1);
    for (size_t i = 0; i < list.u.l->len; i++)
        ir_add_input(c, value_of(t, list.u.l->items[i], item_keys ? item_keys[i] : NULL));
    cts_type *ty = cv_type_of(list);
    if (!ty) oom(t);
    ir_set_type(c->outputs[0], ty);
    cts_type_release(ty);
    append(t, c);
    map_key(t, key, c->outputs[0]);
    t->g->oom_jmp = NULL;
    return 0;
}

int cts_tracer_op(cts_tracer *t, const cts_schema *s, const cv_value *in, int nin, const cv_value *out, int nout,
                  cts_err *err) {
    return cts_tracer_op_keyed(t, s, in, NULL, nin, out, NULL, nout, err);
}

ir_graph *cts_tracer_finish(cts_tracer *t, cv_value result, cts_err *err) {
    if (setjmp(t->jb)) {
        cts_err_oom(err, "trace", 0);
        return NULL;
    }
    t->g->oom_jmp = &t->jb;
    ir_value *r = value_of(t, result, NULL);
    ir_block_register_output(t->g->block, r);
    t->g->oom_jmp = NULL;
    ir_graph *g = t->g;
    t->g = NULL;
    return g;
}

cts_rt_module *cts_rt_traced_module(cts_cu *cu, ir_graph *g, const char *qualname, cts_err *err) {
    cts_type *cls = cts_cu_define_class(cu, qualname, true, err);
    if (!cls || cts_class_add_attr(cls->cls, "training", T_BOOL, false, false)) {
        if (cls) cts_err_oom(err, "module", 0);
        ir_graph_free(g);
        return NULL;
    }
    ir_set_type(ir_block_input(g->block, 0), cls);
    if (!cts_cu_define_method(cu, cls, "forward", g, err)) {
        ir_graph_free(g);
        return NULL;
    }
    cts_rt_module *m = calloc(1, sizeof *m);
    if (!m) {
        cts_err_oom(err, "module", 0);
        return NULL;
    }
    m->root = cv_none();
    m->version = 3;
    snprintf(m->producer, sizeof m->producer, "cts trace");
    if (cv_object_new(cls, &m->root, err)) {
        free(m);
        return NULL;
    }
    m->root.u.o->slots[0] = cv_bool(true); /* nn.Module's default mode, as PyTorch's PlaceholderModule */
    m->cu = cu;
    if (cts_rt_prepare(m, err)) {
        m->cu = NULL; /* the caller keeps the unit */
        cts_rt_free(m);
        return NULL;
    }
    return m;
}
