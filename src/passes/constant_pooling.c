/* constant_pooling.c - one node per distinct constant, at the graph start.
 *
 * PyTorch's ConstantPooling: walking the graph in order (blocks included),
 * a constant equal to one already seen is replaced by it; a new one moves to
 * the front of the graph.  So the pooled constants end up in reverse order
 * of first appearance. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"

static bool tensor_equal(const ct_tensor *a, const ct_tensor *b) {
    if (a == b) return true;
    if (!a || !b || a->dtype != b->dtype || a->ndim != b->ndim) return false;
    if (memcmp(a->sizes, b->sizes, sizeof *a->sizes * (size_t)a->ndim)) return false;
    ct_iter ia, ib;
    ct_iter_init(&ia, a);
    ct_iter_init(&ib, b);
    if (ct_numel(a) == 0) return true;
    int es = ct_dtype_size(a->dtype);
    const char *pa = ct_data(a), *pb = ct_data(b);
    do {
        if (memcmp(pa + ia.pos * es, pb + ib.pos * es, (size_t)es)) return false;
        ct_iter_next(&ib);
    } while (ct_iter_next(&ia));
    return true;
}

static bool value_equal(cv_value a, cv_value b) {
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case CV_TENSOR: return tensor_equal(a.u.t, b.u.t);
    case CV_FLOAT: return memcmp(&a.u.f, &b.u.f, sizeof a.u.f) == 0;
    case CV_OBJECT: return a.u.o == b.u.o; /* enum members are not pooled (as PyTorch's graphs show) */
    case CV_LIST:
        if (a.u.l->len != b.u.l->len) return false;
        for (size_t i = 0; i < a.u.l->len; i++)
            if (!value_equal(a.u.l->items[i], b.u.l->items[i])) return false;
        return true;
    case CV_TUPLE:
        if (a.u.tu->len != b.u.tu->len) return false;
        for (size_t i = 0; i < a.u.tu->len; i++)
            if (!value_equal(a.u.tu->items[i], b.u.tu->items[i])) return false;
        return true;
    default: return cv_equal(a, b);
    }
}

static bool constants_equal(const ir_node *a, const ir_node *b) {
    if (!cts_type_equal(a->outputs[0]->type, b->outputs[0]->type)) return false;
    if (a->has_value != b->has_value) return false;
    if (a->fn != b->fn) return false;
    if (!a->has_value) return true;
    return value_equal(a->value, b->value);
}

typedef struct pool {
    ir_node **seen;
    int n, cap;
    ir_graph *g;
} pool;

static void pool_block(pool *p, ir_block *b) {
    for (ir_node *n = ir_block_first(b); n != b->ret;) {
        ir_node *next = n->next;
        if (n->nblocks) {
            for (int i = 0; i < n->nblocks; i++) pool_block(p, n->blocks[i]);
            n = next;
            continue;
        }
        if (n->k != K_CONSTANT) {
            n = next;
            continue;
        }
        ir_node *hit = NULL;
        for (int i = 0; i < p->n; i++)
            if (constants_equal(p->seen[i], n)) {
                hit = p->seen[i];
                break;
            }
        if (hit) {
            ir_replace_all_uses(n->outputs[0], hit->outputs[0]);
            ir_destroy(n);
        } else {
            if (p->n == p->cap) {
                int nc = p->cap ? p->cap * 2 : 32;
                ir_node **s = realloc(p->seen, (size_t)nc * sizeof *s);
                if (!s) ir_oom(p->g);
                p->seen = s;
                p->cap = nc;
            }
            p->seen[p->n++] = n;
            ir_node *first = ir_block_first(p->g->block);
            if (n != first) ir_move_before(n, first);
        }
        n = next;
    }
}

void cts_pass_constant_pooling(ir_graph *g) {
    pool p = {NULL, 0, 0, g};
    pool_block(&p, g->block);
    free(p.seen);
}
