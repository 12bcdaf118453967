/* canonicalize.c - CanonicalizeOutputs: control-flow outputs ordered by
 * their first use, so graphs do not depend on how the compiler added them. */
#include <stdlib.h>

#include "passes.h"

static int depth_of(const ir_node *n) {
    int d = 0;
    for (const ir_block *b = n->owner; b && b->owning_node; b = b->owning_node->owner) d++;
    return d;
}

static int block_index(const ir_block *b) {
    const ir_node *o = b->owning_node;
    for (int i = 0; i < o->nblocks; i++)
        if (o->blocks[i] == b) return i;
    return 0;
}

/* PyTorch's isBefore(Node*, Node*) across blocks: a node containing the
 * other comes first; nodes in sibling blocks of one node order by block. */
static bool node_before(const ir_node *n1, const ir_node *n2) {
    int d1 = depth_of(n1), d2 = depth_of(n2);
    for (; d1 > d2; d1--) {
        n1 = n1->owner->owning_node;
        if (n1 == n2) return false; /* n2 contains n1 */
    }
    for (; d2 > d1; d2--) {
        n2 = n2->owner->owning_node;
        if (n2 == n1) return true; /* n1 contains n2 */
    }
    for (;;) {
        if (n1->owner == n2->owner) {
            for (const ir_node *p = n1->next; p; p = p == n1->owner->ret ? NULL : p->next)
                if (p == n2) return true;
            return false;
        }
        const ir_node *p1 = n1->owner->owning_node, *p2 = n2->owner->owning_node;
        if (p1 == p2) return block_index(n1->owner) < block_index(n2->owner);
        n1 = p1;
        n2 = p2;
    }
}

/* true if use a comes before use b */
static bool use_before(ir_use a, ir_use b) {
    if (a.user == b.user) return a.offset < b.offset;
    return node_before(a.user, b.user);
}

static bool first_use(const ir_value *v, ir_use *out) {
    if (!v->nuses) return false;
    ir_use best = v->uses[0];
    for (int i = 1; i < v->nuses; i++)
        if (use_before(v->uses[i], best)) best = v->uses[i];
    *out = best;
    return true;
}

static int *sort_indexes(ir_value **vals, int n) {
    int *idx = malloc((size_t)(n ? n : 1) * sizeof *idx);
    ir_use *uses = malloc((size_t)(n ? n : 1) * sizeof *uses);
    bool *has = malloc((size_t)(n ? n : 1) * sizeof *has);
    if (!idx || !uses || !has) {
        free(idx);
        free(uses);
        free(has);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        idx[i] = i;
        has[i] = first_use(vals[i], &uses[i]);
    }
    /* insertion sort (stable, n small) */
    for (int i = 1; i < n; i++) {
        int k = idx[i], j = i - 1;
        while (j >= 0) {
            int a = idx[j];
            bool k_before_a;
            if (!has[k] && !has[a]) k_before_a = k < a;
            else if (!has[k]) k_before_a = false;
            else if (!has[a]) k_before_a = true;
            else if (uses[k].user == uses[a].user) k_before_a = uses[k].offset < uses[a].offset;
            else k_before_a = use_before(uses[k], uses[a]);
            if (!k_before_a) break;
            idx[j + 1] = idx[j];
            j--;
        }
        idx[j + 1] = k;
    }
    free(uses);
    free(has);
    return idx;
}

static bool identity(const int *p, int n) {
    for (int i = 0; i < n; i++)
        if (p[i] != i) return false;
    return true;
}

/* reorders outputs i of node n (and the given block output/input offsets) by perm */
static void permute_if(ir_node *n, const int *perm) {
    int k = n->noutputs;
    ir_value **outs = malloc((size_t)k * sizeof *outs);
    ir_value **t = malloc((size_t)k * sizeof *t), **f = malloc((size_t)k * sizeof *f);
    if (!outs || !t || !f) goto done;
    for (int i = 0; i < k; i++) {
        outs[i] = n->outputs[perm[i]];
        t[i] = ir_block_output(n->blocks[0], perm[i]);
        f[i] = ir_block_output(n->blocks[1], perm[i]);
    }
    for (int i = 0; i < k; i++) {
        n->outputs[i] = outs[i];
        outs[i]->offset = i;
        ir_replace_input(n->blocks[0]->ret, i, t[i]);
        ir_replace_input(n->blocks[1]->ret, i, f[i]);
    }
done:
    free(outs);
    free(t);
    free(f);
}

static void permute_loop(ir_node *n, const int *perm) {
    int k = n->noutputs;
    ir_block *body = n->blocks[0];
    ir_value **outs = malloc((size_t)k * sizeof *outs), **ins = malloc((size_t)k * sizeof *ins);
    ir_value **bin = malloc((size_t)k * sizeof *bin), **bout = malloc((size_t)k * sizeof *bout);
    if (!outs || !ins || !bin || !bout) goto done;
    for (int i = 0; i < k; i++) {
        outs[i] = n->outputs[perm[i]];
        ins[i] = n->inputs[2 + perm[i]];
        bin[i] = ir_block_input(body, 1 + perm[i]);
        bout[i] = ir_block_output(body, 1 + perm[i]);
    }
    for (int i = 0; i < k; i++) {
        n->outputs[i] = outs[i];
        outs[i]->offset = i;
        ir_replace_input(n, 2 + i, ins[i]);
        body->param->outputs[1 + i] = bin[i];
        bin[i]->offset = 1 + i;
        ir_replace_input(body->ret, 1 + i, bout[i]);
    }
done:
    free(outs);
    free(ins);
    free(bin);
    free(bout);
}

static void canon_block(ir_block *b) {
    for (ir_node *n = b->ret->prev; n != b->param; n = n->prev) {
        if ((n->k == K_LOOP || n->k == K_IF) && n->noutputs > 1) {
            int *perm = sort_indexes(n->outputs, n->noutputs);
            if (perm && !identity(perm, n->noutputs)) {
                if (n->k == K_IF) permute_if(n, perm);
                else permute_loop(n, perm);
            }
            free(perm);
        }
        for (int i = 0; i < n->nblocks; i++) canon_block(n->blocks[i]);
    }
}

void cts_pass_canonicalize_outputs(ir_graph *g) { canon_block(g->block); }
