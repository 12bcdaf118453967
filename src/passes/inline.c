/* inline.c - calls replaced by the callee's body (PyTorch's Inline pass).
 *
 * Every prim::CallFunction of a known function and every prim::CallMethod
 * whose receiver has a class type (not an interface: that dispatch needs the
 * object) becomes a copy of the callee's graph, itself inlined first.  A
 * call back into a function being inlined (recursion) stays a call, as does
 * anything past INLINE_MAX_DEPTH nested callees. */
#include "passes.h"

#include "../compiler/cu.h"
#include "../ir/function.h"

#define INLINE_MAX_DEPTH 64

typedef struct inliner {
    cts_cu *cu;
    cts_err *err;
    const ir_function *stack[INLINE_MAX_DEPTH];
    int depth;
    int count;
} inliner;

/* The function a CallFunction/CallMethod node calls, when known statically. */
static ir_function *callee_of(const ir_node *n) {
    if (n->k == K_CALLFUNCTION) {
        const ir_node *f = n->inputs[0]->node;
        return f->k == K_CONSTANT ? f->fn : NULL;
    }
    if (n->k == K_CALLMETHOD) {
        const cts_type *t = n->inputs[0]->type;
        if (t->kind != TY_CLASS || t->cls->is_interface) return NULL;
        return cts_class_find_method(t->cls, n->attr_name);
    }
    return NULL;
}

static bool on_stack(const inliner *in, const ir_function *f) {
    for (int i = 0; i < in->depth; i++)
        if (in->stack[i] == f) return true;
    return false;
}

static int inline_block(inliner *in, ir_block *b);

/* A copy of f's graph with its own calls inlined (NULL with err). */
static ir_graph *inlined_copy(inliner *in, ir_function *f) {
    if (cts_cu_ensure_compiled(in->cu, f, in->err)) return NULL;
    if (!f->graph) {
        cts_err_set(in->err, "function %s has no graph", f->qualname);
        return NULL;
    }
    ir_graph *g = ir_graph_new();
    if (!g) {
        cts_err_oom(in->err, "graph", 0);
        return NULL;
    }
    ir_block_clone_from(g->block, f->graph->block);
    in->stack[in->depth++] = f;
    int rc = inline_block(in, g->block);
    in->depth--;
    if (rc) {
        ir_graph_free(g);
        return NULL;
    }
    return g;
}

static int inline_block(inliner *in, ir_block *b) {
    ir_graph *g = b->graph;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++)
            if (inline_block(in, n->blocks[i])) return -1;
        ir_function *f = callee_of(n);
        if (!f || n->noutputs != 1 || in->depth >= INLINE_MAX_DEPTH || on_stack(in, f)) continue;
        ir_graph *body = inlined_copy(in, f);
        if (!body) return -1;
        ir_node *saved = g->insert_before;
        ir_set_insert_before(g, n);
        ir_value *out = ir_insert_graph(g, body, n->k == K_CALLFUNCTION ? n->inputs + 1 : n->inputs);
        g->insert_before = saved == n ? next : saved;
        ir_graph_free(body);
        ir_replace_all_uses(n->outputs[0], out);
        ir_destroy(n);
        in->count++;
    }
    return 0;
}

int cts_pass_inline(ir_graph *g, cts_cu *cu, ir_function *self_fn, cts_err *err) {
    inliner in = {cu, err, {0}, 0, 0};
    if (self_fn) in.stack[in.depth++] = self_fn;
    if (inline_block(&in, g->block)) return -1;
    return in.count;
}
