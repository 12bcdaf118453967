/* mutation.c - which values of a graph may change in place.
 *
 * A conservative may-alias analysis in the spirit of PyTorch's AliasDb, with
 * alias classes instead of points-to sets: two values share a class when
 * one may be (a view of, an element of, a branch's result of) the other.
 * Edges come from schema alias annotations (annotated arguments with each
 * other and with annotated returns, `Tensor(a) self -> Tensor(a)`,
 * `insert(t[](a!) self, int i, t(b -> *) el)`; a wildcard return with no
 * annotated argument joins every argument), from containers and their
 * unpacking, attribute reads, control-flow joins, constants holding (or
 * reaching) the same heap object, calls left in the graph (which may do
 * anything with their arguments), and the graph's inputs (one class: the
 * caller may pass one object twice).  A class is mutated when one of its
 * values is written: a `(a!)` argument, a write no schema shows (training
 * batch norm's running statistics), an object given to SetAttr, an argument
 * of a call, an op without a schema, or a value the graph returns (the
 * caller may write it). */
#include <stdlib.h>

#include "../serialize/ptrmap.h"
#include "passes.h"

struct cts_mutation {
    int *parent; /* union-find over value ids */
    bool *mut;   /* per root: the class is written */
    int n;
};

static int find(cts_mutation *m, int x) {
    while (m->parent[x] != x) {
        m->parent[x] = m->parent[m->parent[x]];
        x = m->parent[x];
    }
    return x;
}

static void unite_ids(cts_mutation *m, int a, int b) {
    int x = find(m, a), y = find(m, b);
    if (x == y) return;
    m->parent[x] = y;
    m->mut[y] |= m->mut[x];
}

static void unite(cts_mutation *m, const ir_value *a, const ir_value *b) { unite_ids(m, a->id, b->id); }

static void mark(cts_mutation *m, const ir_value *v) { m->mut[find(m, v->id)] = true; }

static void unite_all(cts_mutation *m, const ir_node *n, bool mutate) {
    const ir_value *first = n->ninputs ? n->inputs[0] : n->noutputs ? n->outputs[0] : NULL;
    for (int i = 0; i < n->ninputs; i++) {
        unite(m, first, n->inputs[i]);
        if (mutate) mark(m, n->inputs[i]);
    }
    for (int i = 0; i < n->noutputs; i++) unite(m, first, n->outputs[i]);
}

static void visit_op(cts_mutation *m, const ir_node *n) {
    const cts_schema *s = n->schema;
    if (!s) {
        unite_all(m, n, true);
        return;
    }
    bool ret_alias = false, any_annotated = false;
    for (int r = 0; r < s->nrets; r++) ret_alias |= s->rets[r].is_alias;
    const ir_value *first_annotated = NULL;
    for (int i = 0; i < n->ninputs; i++) {
        bool annotated = i < s->nargs ? s->args[i].is_alias : true; /* vararg tail: assume it may alias */
        if (i < s->nargs && s->args[i].is_write) mark(m, n->inputs[i]);
        if (!annotated) continue;
        any_annotated = true;
        /* annotated arguments may end up in one another (list.insert(el),
         * dict's item set): one class */
        if (first_annotated) unite(m, first_annotated, n->inputs[i]);
        else first_annotated = n->inputs[i];
        if (ret_alias)
            for (int o = 0; o < n->noutputs; o++) unite(m, n->inputs[i], n->outputs[o]);
    }
    /* an annotated (wildcard) return with no annotated argument, as a
     * dict's __getitem__: it may be anything reachable from the arguments */
    if (ret_alias && !any_annotated) unite_all(m, n, false);
    if (cts_pass_hidden_writes(n))
        for (int i = 0; i < n->ninputs; i++) mark(m, n->inputs[i]);
}

/* Every heap object reachable from a constant's value (tensors by storage)
 * joins the constant's class: two constants holding the same list, or an
 * object and a tensor in one of its slots, are one class. */
typedef struct reach {
    cts_mutation *m;
    const ir_value *k;
    cts_ptrmap *heap;
    int depth;
} reach;

static void unite_reachable(void *ctx, cv_value v) {
    reach *r = ctx;
    uint64_t key;
    switch (v.tag) {
    case CV_TENSOR: key = cts_ptrkey(v.u.t->storage); break;
    case CV_LIST:
    case CV_TUPLE:
    case CV_DICT:
    case CV_OBJECT: key = cts_ptrkey(v.u.rc); break;
    default: return;
    }
    uint64_t *seen = cts_ptrmap_get(r->heap, key);
    if (seen) {
        unite_ids(r->m, r->k->id, (int)*seen);
        return; /* its contents were joined when it was first seen */
    }
    if (cts_ptrmap_put(r->heap, key, (uint64_t)r->k->id) || r->depth > 32) return;
    r->depth++;
    cv_for_each_child(v, unite_reachable, r);
    r->depth--;
}

static void visit_block(cts_mutation *m, const ir_block *b, cts_ptrmap *storages) {
    for (const ir_node *n = ir_block_first(b); n != b->ret; n = n->next) {
        for (int i = 0; i < n->nblocks; i++) visit_block(m, n->blocks[i], storages);
        switch (n->k) {
        case K_OP: visit_op(m, n); break;
        case K_CONSTANT:
            if (n->has_value) {
                reach r = {m, n->outputs[0], storages, 0};
                unite_reachable(&r, n->value);
            }
            break;
        case K_IF:
            for (int i = 0; i < n->nblocks; i++)
                for (int o = 0; o < n->noutputs && o < ir_block_noutputs(n->blocks[i]); o++)
                    unite(m, n->outputs[o], ir_block_output(n->blocks[i], o));
            break;
        case K_LOOP: {
            /* carried values: node input 2+i, block input 1+i, block output 1+i, node output i */
            const ir_block *body = n->nblocks ? n->blocks[0] : NULL;
            for (int o = 0; o < n->noutputs; o++) {
                if (o + 2 < n->ninputs) unite(m, n->outputs[o], n->inputs[o + 2]);
                if (body && o + 1 < ir_block_ninputs(body)) unite(m, n->outputs[o], ir_block_input(body, o + 1));
                if (body && o + 1 < ir_block_noutputs(body)) unite(m, n->outputs[o], ir_block_output(body, o + 1));
            }
            break;
        }
        case K_SETATTR:
            unite_all(m, n, false);
            mark(m, n->inputs[0]);
            break;
        case K_CALLMETHOD:
        case K_CALLFUNCTION:
        case K_ENTER:
        case K_EXIT: unite_all(m, n, true); break;
        case K_LISTCONSTRUCT:
        case K_LISTUNPACK:
        case K_TUPLECONSTRUCT:
        case K_TUPLEUNPACK:
        case K_TUPLEINDEX:
        case K_TUPLESLICE:
        case K_DICTCONSTRUCT:
        case K_UNCHECKEDCAST:
        case K_GETATTR:
        case K_CLOSURE: unite_all(m, n, false); break;
        default: break;
        }
    }
}

cts_mutation *cts_mutation_analyze(const ir_graph *g) {
    cts_mutation *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->n = g->next_value_id + 1;
    m->parent = malloc((size_t)m->n * sizeof *m->parent);
    m->mut = calloc((size_t)m->n, sizeof *m->mut);
    if (!m->parent || !m->mut) {
        cts_mutation_free(m);
        return NULL;
    }
    for (int i = 0; i < m->n; i++) m->parent[i] = i;
    cts_ptrmap heap;
    cts_ptrmap_init(&heap);
    /* the caller may pass one object as several arguments: one class for
     * every input of a mutable type */
    const ir_value *in0 = NULL;
    for (int i = 0; i < ir_block_ninputs(g->block); i++) {
        const ir_value *v = ir_block_input(g->block, i);
        if (!cts_pass_mutable_type(v->type, true)) continue;
        if (in0) unite(m, in0, v);
        else in0 = v;
    }
    visit_block(m, g->block, &heap);
    /* what the graph returns, the caller may change */
    for (int i = 0; i < ir_block_noutputs(g->block); i++) mark(m, ir_block_output(g->block, i));
    cts_ptrmap_free(&heap);
    return m;
}

bool cts_mutation_may_change(cts_mutation *m, const ir_value *v) {
    if (!m || v->id < 0 || v->id >= m->n) return true;
    return m->mut[find(m, v->id)];
}

void cts_mutation_free(cts_mutation *m) {
    if (!m) return;
    free(m->parent);
    free(m->mut);
    free(m);
}
