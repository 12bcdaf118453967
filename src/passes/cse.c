/* cse.c - common subexpression elimination.
 *
 * A node that computes what an earlier node visible from it already
 * computed (same kind and schema, same inputs, same attribute) is replaced
 * by that node's outputs.  Only pure nodes take part: operators that write
 * nothing, draw no random numbers and return nothing mutable (no lists or
 * dicts, which a later write could change under one of the two users, and
 * no tensor that something writes in place),
 * attribute reads, tuple construction and indexing.  When an input may be
 * changed in place (mutation.c), the two nodes merge only if nothing that
 * may write runs between them (the two reads see the same contents).  Nodes
 * in a nested block see the enclosing blocks' earlier nodes, never the
 * reverse. */
#include <stdlib.h>
#include <string.h>

#include "passes.h"

typedef struct seen {
    ir_node **nodes;
    long *epoch; /* writes counted when the node was seen */
    int n, cap;
    long writes; /* nodes that may write, so far in program order */
} seen;

static bool random_op(const char *kind) {
    static const char *const words[] = {"rand", "bernoulli", "normal", "uniform", "multinomial", "dropout",
                                        "exponential", "poisson", "random", "cauchy", "geometric", "log_normal",
                                        "rrelu"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(kind, words[i])) return true;
    return false;
}

static bool pure(const ir_node *n) {
    if (n->nblocks || !n->noutputs || cts_node_has_side_effects(n)) return false;
    for (int i = 0; i < n->noutputs; i++)
        if (cts_pass_mutable_type(n->outputs[i]->type, false)) return false;
    switch (n->k) {
    case K_OP:
        if (!n->schema || random_op(n->kind) || cts_pass_hidden_writes(n)) return false;
        for (int i = 0; i < n->schema->nargs; i++)
            if (n->schema->args[i].is_write) return false;
        break;
    case K_GETATTR:
    case K_TUPLECONSTRUCT:
    case K_TUPLEINDEX:
    case K_TUPLESLICE:
    case K_TUPLEUNPACK:
    case K_NUMTOTENSOR: break;
    default: return false;
    }
    return true;
}

static bool any_may_change(ir_value *const *v, int n, cts_mutation *mut) {
    for (int i = 0; i < n; i++)
        if (cts_mutation_may_change(mut, v[i])) return true;
    return false;
}

static bool same(const ir_node *a, const ir_node *b) {
    if (a->kind != b->kind || a->schema != b->schema || a->attr_name != b->attr_name || a->ninputs != b->ninputs ||
        a->noutputs != b->noutputs)
        return false;
    for (int i = 0; i < a->ninputs; i++)
        if (a->inputs[i] != b->inputs[i]) return false;
    for (int i = 0; i < a->noutputs; i++)
        if (!cts_type_equal(a->outputs[i]->type, b->outputs[i]->type)) return false;
    return true;
}

static int cse_block(ir_block *b, seen *s, cts_mutation *mut) {
    int removed = 0, mark = s->n;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        /* a loop's writes happen before its body's next iteration too */
        if (n->k == K_LOOP && cts_pass_may_write(n)) s->writes++;
        for (int i = 0; i < n->nblocks; i++) removed += cse_block(n->blocks[i], s, mut);
        /* a result written in place later is not interchangeable with
         * another one (two torch.zeros(3), one of them add_-ed to) */
        if (!pure(n) || any_may_change(n->outputs, n->noutputs, mut)) {
            if (!n->nblocks && cts_pass_may_write(n)) s->writes++; /* blocks counted their own */
            continue;
        }
        bool changing = any_may_change(n->inputs, n->ninputs, mut);
        ir_node *hit = NULL;
        for (int i = s->n - 1; i >= 0 && !hit; i--)
            if (same(s->nodes[i], n) && (!changing || s->epoch[i] == s->writes)) hit = s->nodes[i];
        if (hit) {
            for (int i = 0; i < n->noutputs; i++) ir_replace_all_uses(n->outputs[i], hit->outputs[i]);
            ir_destroy(n);
            removed++;
            continue;
        }
        if (s->n == s->cap) {
            int nc = s->cap ? s->cap * 2 : 64;
            ir_node **p = realloc(s->nodes, (size_t)nc * sizeof *p);
            if (!p) ir_oom(b->graph);
            s->nodes = p;
            long *e = realloc(s->epoch, (size_t)nc * sizeof *e);
            if (!e) ir_oom(b->graph);
            s->epoch = e;
            s->cap = nc;
        }
        s->epoch[s->n] = s->writes;
        s->nodes[s->n++] = n;
    }
    s->n = mark;
    return removed;
}

int cts_pass_cse(ir_graph *g) {
    cts_mutation *mut = cts_mutation_analyze(g);
    if (!mut) return 0;
    seen s = {0};
    int n = cse_block(g->block, &s, mut);
    free(s.nodes);
    free(s.epoch);
    cts_mutation_free(mut);
    return n;
}
