/* ir.c - construction and mutation of graphs. */
#include "ir.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[K__COUNT] = {
#define X(e, s) [e] = s,
    IR_KINDS(X)
#undef X
};

_Noreturn void ir_oom(ir_graph *g) {
    if (g && g->oom_jmp) longjmp(*(jmp_buf *)g->oom_jmp, 1);
    fputs("cts: out of memory while building a graph\n", stderr);
    abort();
}

static void *xcalloc(ir_graph *g, size_t n, size_t sz) {
    void *p = calloc(n ? n : 1, sz);
    if (!p) ir_oom(g);
    return p;
}

#define GROW(g, arr, n, cap)                                                   \
    do {                                                                       \
        if ((n) == (cap)) {                                                    \
            int nc_ = (cap) ? (cap) * 2 : 4;                                   \
            void *p_ = realloc((arr), (size_t)nc_ * sizeof *(arr));            \
            if (!p_) ir_oom(g);                                                \
            (arr) = p_;                                                        \
            (cap) = nc_;                                                       \
        }                                                                      \
    } while (0)

ir_kind ir_kind_of(const char *kind) {
    for (int k = 1; k < K__COUNT; k++)
        if (strcmp(KIND_NAMES[k], kind) == 0) return (ir_kind)k;
    return K_OP;
}

const char *ir_kind_name(ir_kind k) { return KIND_NAMES[k] ? KIND_NAMES[k] : "?"; }

const char *ir_intern(ir_graph *g, const char *s) {
    const char *p = cts_map_get(&g->interned, s);
    if (p) return p;
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (!c) ir_oom(g);
    memcpy(c, s, n);
    if (cts_map_put(&g->interned, c, c)) {
        free(c);
        ir_oom(g);
    }
    return c;
}

static ir_value *value_new(ir_node *n, int offset) {
    ir_value *v = xcalloc(n->graph, 1, sizeof *v);
    v->node = n;
    v->offset = offset;
    v->type = T_TENSOR;
    v->id = n->graph->next_value_id++;
    return v;
}

static void value_free(ir_graph *g, ir_value *v) {
    if (v->name) {
        if (cts_map_get(&g->names, v->name) == v) {
            /* remove from the name map: re-put as NULL marker */
            cts_map_put(&g->names, v->name, NULL);
        }
        /* the key string may be referenced by the map: keep it alive through
         * the interned table */
    }
    cts_type_release(v->type);
    free(v->uses);
    free(v);
}

static ir_block *block_new(ir_graph *g, ir_node *owner);

ir_graph *ir_graph_new(void) {
    ir_graph *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    cts_map_init(&g->names);
    cts_map_init(&g->suffixes);
    cts_map_init(&g->interned);
    g->block = block_new(g, NULL);
    g->insert_before = g->block->ret;
    return g;
}

ir_node *ir_create(ir_graph *g, const char *kind, int noutputs) {
    ir_node *n = xcalloc(g, 1, sizeof *n);
    n->graph = g;
    n->kind = ir_intern(g, kind);
    n->k = ir_kind_of(kind);
    for (int i = 0; i < noutputs; i++) ir_add_output(n);
    return n;
}

static ir_block *block_new(ir_graph *g, ir_node *owner) {
    ir_block *b = xcalloc(g, 1, sizeof *b);
    b->graph = g;
    b->owning_node = owner;
    b->param = ir_create(g, "prim::Param", 0);
    b->ret = ir_create(g, "prim::Return", 0);
    b->param->owner = b;
    b->ret->owner = b;
    b->param->next = b->ret;
    b->ret->prev = b->param;
    return b;
}

static void node_free(ir_node *n);

static void block_free(ir_block *b) {
    ir_node *n = b->ret->prev;
    while (n != b->param) {
        ir_node *p = n->prev;
        node_free(n);
        n = p;
    }
    node_free(b->ret);
    node_free(b->param);
    free(b);
}

/* frees without maintaining use lists (whole-graph teardown) */
static void node_free(ir_node *n) {
    for (int i = 0; i < n->nblocks; i++) block_free(n->blocks[i]);
    for (int i = 0; i < n->noutputs; i++) value_free(n->graph, n->outputs[i]);
    for (int i = 0; i < n->ntypes; i++) cts_type_release(n->types[i]);
    if (n->has_value) cv_release(n->value);
    free(n->types);
    free(n->inputs);
    free(n->outputs);
    free(n->blocks);
    free(n);
}

void ir_graph_free(ir_graph *g) {
    if (!g) return;
    block_free(g->block);
    cts_map_free(&g->names);
    cts_map_free(&g->suffixes); /* keys are interned */
    for (size_t i = 0; i < g->interned.cap; i++)
        if (g->interned.slots[i].key) free((void *)g->interned.slots[i].key);
    cts_map_free(&g->interned);
    free(g);
}

/* ---- linking ---- */

static void link_before(ir_node *n, ir_node *before) {
    n->owner = before->owner;
    n->next = before;
    n->prev = before->prev;
    before->prev->next = n;
    before->prev = n;
}

ir_node *ir_insert_before(ir_node *n, ir_node *before) {
    link_before(n, before);
    return n;
}

ir_node *ir_insert_after(ir_node *n, ir_node *after) { return ir_insert_before(n, after->next); }

ir_node *ir_insert(ir_graph *g, ir_node *n) { return ir_insert_before(n, g->insert_before); }

static void unlink_node(ir_node *n) {
    if (!n->prev) return;
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = NULL;
}

void ir_move_before(ir_node *n, ir_node *before) {
    if (n == before) return;
    unlink_node(n);
    link_before(n, before);
}

void ir_move_after(ir_node *n, ir_node *after) {
    unlink_node(n);
    link_before(n, after->next);
}

static void drop_use(ir_value *v, ir_node *user, int offset) {
    for (int i = 0; i < v->nuses; i++) {
        if (v->uses[i].user == user && v->uses[i].offset == offset) {
            memmove(&v->uses[i], &v->uses[i + 1], (size_t)(v->nuses - i - 1) * sizeof *v->uses);
            v->nuses--;
            return;
        }
    }
}

static void add_use(ir_value *v, ir_node *user, int offset) {
    GROW(user->graph, v->uses, v->nuses, v->cap_uses);
    v->uses[v->nuses++] = (ir_use){user, offset};
}

ir_value *ir_add_input(ir_node *n, ir_value *v) {
    GROW(n->graph, n->inputs, n->ninputs, n->cap_inputs);
    add_use(v, n, n->ninputs);
    n->inputs[n->ninputs++] = v;
    return v;
}

void ir_insert_input(ir_node *n, int i, ir_value *v) {
    GROW(n->graph, n->inputs, n->ninputs, n->cap_inputs);
    for (int j = n->ninputs - 1; j >= i; j--) {
        ir_value *w = n->inputs[j];
        for (int u = 0; u < w->nuses; u++)
            if (w->uses[u].user == n && w->uses[u].offset == j) {
                w->uses[u].offset++;
                break;
            }
        n->inputs[j + 1] = w;
    }
    n->inputs[i] = v;
    n->ninputs++;
    add_use(v, n, i);
}

void ir_replace_input(ir_node *n, int i, ir_value *v) {
    drop_use(n->inputs[i], n, i);
    n->inputs[i] = v;
    add_use(v, n, i);
}

void ir_remove_input(ir_node *n, int i) {
    drop_use(n->inputs[i], n, i);
    for (int j = i + 1; j < n->ninputs; j++) {
        ir_value *w = n->inputs[j];
        for (int u = 0; u < w->nuses; u++)
            if (w->uses[u].user == n && w->uses[u].offset == j) {
                w->uses[u].offset--;
                break;
            }
        n->inputs[j - 1] = w;
    }
    n->ninputs--;
}

void ir_remove_all_inputs(ir_node *n) {
    for (int i = n->ninputs - 1; i >= 0; i--) drop_use(n->inputs[i], n, i);
    n->ninputs = 0;
}

ir_value *ir_add_output(ir_node *n) {
    GROW(n->graph, n->outputs, n->noutputs, n->cap_outputs);
    ir_value *v = value_new(n, n->noutputs);
    n->outputs[n->noutputs++] = v;
    return v;
}

void ir_erase_output(ir_node *n, int i) {
    ir_value *v = n->outputs[i];
    value_free(n->graph, v);
    for (int j = i + 1; j < n->noutputs; j++) {
        n->outputs[j - 1] = n->outputs[j];
        n->outputs[j - 1]->offset = j - 1;
    }
    n->noutputs--;
}

ir_block *ir_add_block(ir_node *n) {
    GROW(n->graph, n->blocks, n->nblocks, n->cap_blocks);
    ir_block *b = block_new(n->graph, n);
    n->blocks[n->nblocks++] = b;
    return b;
}

static void block_destroy(ir_block *b) {
    /* destroy nodes back to front so uses disappear before their definitions */
    ir_remove_all_inputs(b->ret);
    for (ir_node *n = b->ret->prev; n != b->param;) {
        ir_node *p = n->prev;
        ir_destroy(n);
        n = p;
    }
    node_free(b->ret);
    node_free(b->param);
    free(b);
}

void ir_erase_block(ir_node *n, int i) {
    ir_block *b = n->blocks[i];
    memmove(&n->blocks[i], &n->blocks[i + 1], (size_t)(n->nblocks - i - 1) * sizeof *n->blocks);
    n->nblocks--;
    block_destroy(b);
}

void ir_destroy(ir_node *n) {
    while (n->noutputs) ir_erase_output(n, n->noutputs - 1);
    while (n->nblocks) ir_erase_block(n, n->nblocks - 1);
    ir_remove_all_inputs(n);
    unlink_node(n);
    for (int i = 0; i < n->ntypes; i++) cts_type_release(n->types[i]);
    if (n->has_value) cv_release(n->value);
    free(n->types);
    free(n->inputs);
    free(n->outputs);
    free(n->blocks);
    free(n);
}

ir_value *ir_block_add_input(ir_block *b, const char *name) {
    ir_value *v = ir_add_output(b->param);
    if (name && *name) ir_set_name(v, name);
    return v;
}

void ir_block_erase_input(ir_block *b, int i) { ir_erase_output(b->param, i); }

int ir_block_register_output(ir_block *b, ir_value *v) {
    ir_add_input(b->ret, v);
    return b->ret->ninputs - 1;
}

void ir_block_erase_output(ir_block *b, int i) { ir_remove_input(b->ret, i); }

void ir_set_type(ir_value *v, cts_type *t) {
    cts_type_retain(t);
    cts_type_release(v->type);
    v->type = t;
}

/* ---- debug names (Value::setDebugName) ---- */

static bool all_digits(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}


void ir_set_name(ir_value *v, const char *name) {
    ir_graph *g = v->node->graph;
    if (v->name) {
        if (cts_map_get(&g->names, v->name) == v) cts_map_put(&g->names, v->name, NULL);
        v->name = NULL;
    }
    if (!name || !*name) return;
    ir_value *old = cts_map_get(&g->names, name);
    if (old) {
        long long suffix = 1;
        char base[512];
        snprintf(base, sizeof base, "%s", name);
        char *dot = strrchr(base, '.');
        if (dot && dot[1] && all_digits(dot + 1)) {
            suffix = strtoll(dot + 1, NULL, 10);
            *dot = 0;
        }
        intptr_t last = (intptr_t)cts_map_get(&g->suffixes, base);
        if (last && suffix < last + 1) suffix = last + 1;
        char repl[600];
        for (;;) {
            snprintf(repl, sizeof repl, "%s.%lld", base, suffix++);
            if (!cts_map_get(&g->names, repl)) break;
        }
        if (cts_map_put(&g->suffixes, ir_intern(g, base), (void *)(intptr_t)suffix)) ir_oom(g);
        ir_set_name(old, repl);
    }
    /* names are interned: they outlive the value and key the name map */
    v->name = ir_intern(g, name);
    if (cts_map_put(&g->names, v->name, v)) ir_oom(g);
}

void ir_replace_all_uses(ir_value *v, ir_value *with) {
    while (v->nuses) {
        ir_use u = v->uses[0];
        u.user->inputs[u.offset] = with;
        add_use(with, u.user, u.offset);
        memmove(&v->uses[0], &v->uses[1], (size_t)(v->nuses - 1) * sizeof *v->uses);
        v->nuses--;
    }
}

void ir_replace_all_uses_after(ir_value *v, ir_value *with, ir_node *after) {
    for (int i = 0; i < v->nuses;) {
        ir_use u = v->uses[i];
        if (ir_is_before(after, u.user)) {
            u.user->inputs[u.offset] = with;
            add_use(with, u.user, u.offset);
            memmove(&v->uses[i], &v->uses[i + 1], (size_t)(v->nuses - i - 1) * sizeof *v->uses);
            v->nuses--;
        } else {
            i++;
        }
    }
}

/* ---- order ---- */

ir_node *ir_node_in_block(ir_node *n, ir_block *b) {
    while (n) {
        if (n->owner == b) return n;
        n = n->owner ? n->owner->owning_node : NULL;
    }
    return NULL;
}

bool ir_is_before(const ir_node *a, const ir_node *b) {
    /* bring both to a common block */
    for (const ir_node *x = a; x; x = x->owner ? x->owner->owning_node : NULL) {
        ir_node *y = ir_node_in_block((ir_node *)b, x->owner);
        if (y) {
            if (x == y) return false; /* b is nested inside a (or is a) */
            for (const ir_node *p = x->next; p; p = p->next)
                if (p == y) return true;
            return false;
        }
    }
    return false;
}

/* ---- constants ---- */

ir_value *ir_insert_constant(ir_graph *g, cv_value v, const cts_source *src, uint32_t start, uint32_t end) {
    ir_node *n = ir_create(g, "prim::Constant", 1);
    n->src = src;
    n->src_start = start;
    n->src_end = end;
    cts_type *t = NULL;
    switch (v.tag) {
    case CV_NONE: t = T_NONE; break;
    case CV_BOOL: t = T_BOOL; break;
    case CV_INT: t = T_INT; break;
    case CV_FLOAT: t = T_FLOAT; break;
    case CV_STR: t = T_STR; break;
    case CV_DEVICE: t = T_DEVICE; break;
    case CV_TENSOR: t = T_TENSOR; break;
    default: {
        cts_type *tt = cv_type_of(v);
        if (!tt) ir_oom(g);
        ir_set_type(n->outputs[0], tt);
        cts_type_release(tt);
    }
    }
    if (t) ir_set_type(n->outputs[0], t);
    if (v.tag != CV_NONE) {
        cv_retain(v);
        n->value = v;
        n->has_value = true;
    }
    ir_insert(g, n);
    return n->outputs[0];
}

ir_value *ir_insert_none(ir_graph *g) { return ir_insert_constant(g, cv_none(), NULL, 0, 0); }

/* ---- cloning (Block::cloneFrom / Graph::createClone) ---- */

typedef struct vmap {
    ir_value **from, **to;
    int n, cap;
} vmap;

static ir_value *vmap_get(vmap *m, ir_value *v) {
    for (int i = m->n - 1; i >= 0; i--)
        if (m->from[i] == v) return m->to[i];
    return v; /* values from outside map to themselves */
}

static void vmap_put(ir_graph *g, vmap *m, ir_value *a, ir_value *b) {
    if (m->n == m->cap) {
        int nc = m->cap ? m->cap * 2 : 16;
        ir_value **f = realloc(m->from, (size_t)nc * sizeof *f);
        if (!f) ir_oom(g);
        m->from = f;
        ir_value **t = realloc(m->to, (size_t)nc * sizeof *t);
        if (!t) ir_oom(g);
        m->to = t;
        m->cap = nc;
    }
    m->from[m->n] = a;
    m->to[m->n++] = b;
}

static void copy_metadata(ir_value *dst, ir_value *src) {
    ir_set_type(dst, src->type);
    if (src->name) ir_set_name(dst, src->name);
}

static void clone_block_into(ir_block *dst, ir_block *src, vmap *m);

static ir_node *clone_node(ir_graph *g, ir_node *s, vmap *m) {
    ir_node *n = ir_create(g, s->kind, 0);
    n->k = s->k;
    n->src = s->src;
    n->src_start = s->src_start;
    n->src_end = s->src_end;
    n->attr_name = s->attr_name;
    n->schema = s->schema;
    n->fn = s->fn;
    n->warn_id = s->warn_id;
    if (s->has_value) {
        cv_retain(s->value);
        n->value = s->value;
        n->has_value = true;
    }
    if (s->ntypes) {
        n->types = calloc((size_t)s->ntypes, sizeof *n->types);
        if (!n->types) ir_oom(g);
        for (int i = 0; i < s->ntypes; i++) {
            cts_type_retain(s->types[i]);
            n->types[i] = s->types[i];
        }
        n->ntypes = s->ntypes;
    }
    for (int i = 0; i < s->ninputs; i++) ir_add_input(n, vmap_get(m, s->inputs[i]));
    for (int i = 0; i < s->noutputs; i++) {
        ir_value *o = ir_add_output(n);
        copy_metadata(o, s->outputs[i]);
        vmap_put(g, m, s->outputs[i], o);
    }
    for (int i = 0; i < s->nblocks; i++) {
        ir_block *b = ir_add_block(n);
        clone_block_into(b, s->blocks[i], m);
    }
    return n;
}

static void clone_block_into(ir_block *dst, ir_block *src, vmap *m) {
    for (int i = 0; i < ir_block_ninputs(src); i++) {
        ir_value *in = ir_block_add_input(dst, NULL);
        copy_metadata(in, ir_block_input(src, i));
        vmap_put(dst->graph, m, ir_block_input(src, i), in);
    }
    for (ir_node *n = ir_block_first(src); n != src->ret; n = n->next) {
        ir_node *c = clone_node(dst->graph, n, m);
        ir_insert_before(c, dst->ret);
        /* Block::cloneFrom copies the outputs' metadata a second time after
         * createClone did: by then the original was renamed (x -> x.1), so the
         * clone takes x.1 and the original moves on to x.3, as in PyTorch */
        for (int i = 0; i < n->noutputs; i++) copy_metadata(c->outputs[i], n->outputs[i]);
    }
    for (int i = 0; i < ir_block_noutputs(src); i++) ir_block_register_output(dst, vmap_get(m, ir_block_output(src, i)));
}

void ir_block_clone_from(ir_block *dst, ir_block *src) {
    vmap m = {0};
    clone_block_into(dst, src, &m);
    free(m.from);
    free(m.to);
}

ir_value *ir_insert_graph(ir_graph *g, const ir_graph *callee, ir_value *const *inputs) {
    vmap m = {0};
    ir_block *cb = callee->block;
    for (int i = 0; i < ir_block_ninputs(cb); i++) vmap_put(g, &m, ir_block_input(cb, i), inputs[i]);
    for (ir_node *n = ir_block_first(cb); n != cb->ret; n = n->next) ir_insert(g, clone_node(g, n, &m));
    ir_value *out = vmap_get(&m, ir_block_output(cb, 0));
    free(m.from);
    free(m.to);
    return out;
}
