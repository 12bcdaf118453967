/* eval_noops.c - ops that do nothing in evaluation mode disappear.
 *
 * After freezing, a module's `self.training` is the constant False, and
 * dropout called with train=False returns its input (aten::dropout and its
 * feature/alpha variants, in place or not: PyTorch returns the input
 * itself).  Their uses take the input and the node goes.  nn.Identity
 * needs nothing here: inlining leaves nothing of it. */
#include "passes.h"

/* dropout(input, p, train) with train the constant False */
static bool eval_dropout(const ir_node *n) {
    static const char *const kinds[] = {"aten::dropout",       "aten::dropout_",       "aten::feature_dropout",
                                        "aten::feature_dropout_", "aten::alpha_dropout", "aten::alpha_dropout_",
                                        "aten::feature_alpha_dropout", "aten::feature_alpha_dropout_"};
    bool train = true;
    return cts_pass_kind_in(n, kinds, sizeof kinds / sizeof *kinds) && n->ninputs == 3 && n->noutputs == 1 &&
           cts_pass_const_bool(n->inputs[2], &train) && !train;
}

static int remove_block(ir_block *b) {
    int removed = 0;
    ir_node *next;
    for (ir_node *n = ir_block_first(b); n != b->ret; n = next) {
        next = n->next;
        for (int i = 0; i < n->nblocks; i++) removed += remove_block(n->blocks[i]);
        if (!eval_dropout(n)) continue;
        ir_replace_all_uses(n->outputs[0], n->inputs[0]);
        ir_destroy(n);
        removed++;
    }
    return removed;
}

int cts_pass_remove_eval_noops(ir_graph *g) { return remove_block(g->block); }
